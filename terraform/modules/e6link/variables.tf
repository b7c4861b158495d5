# One variable per parameter of template.yaml (snake_case of the template's name), with the
# template's own constraints as validations, so a typo stops `terraform plan` instead of a stack
# that rolls back. Lists are joined with commas for the template's CommaDelimitedList parameters.

# ---- The stack ----------------------------------------------------------------------------------

variable "stack_name" {
  description = "Name of the CloudFormation stack (also in the functions' log group names /e6link/<stack>/...)."
  type        = string
  default     = "e6link"

  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9-]{0,127}$", var.stack_name))
    error_message = "stack_name must start with a letter and hold up to 128 letters, digits and hyphens (CloudFormation's stack name rule)."
  }
}

variable "template_url" {
  description = "HTTPS URL of the released transform-free template in the stack's region, as scripts/release prints it: https://<prefix>-<region>.s3.<region>.amazonaws.com/e6link/<version>/template-expanded.yaml. The template is over CloudFormation's 51,200-byte inline limit, so only a URL works."
  type        = string

  validation {
    condition     = can(regex("^https://[^\\s]+\\.ya?ml$", var.template_url))
    error_message = "template_url must be an https:// URL of the released template (…/e6link/<version>/template-expanded.yaml)."
  }
}

variable "iam_role_arn" {
  description = "Optional CloudFormation service role that creates the stack's resources (for example the Service Catalog launch role of service-catalog/portfolio.yaml); null uses the caller's credentials."
  type        = string
  default     = null
}

variable "tags" {
  description = "Tags on the stack; CloudFormation puts them on every resource of the stack that supports tags."
  type        = map(string)
  default     = {}
}

variable "timeouts" {
  description = "How long Terraform waits for the stack. The defaults cover the slowest path: every custom resource up to its ServiceTimeout in turn (the endpoint validation waits for targets and e6data's connection), the NLB, and on failure the rollback."
  type = object({
    create = optional(string, "180m")
    update = optional(string, "180m")
    delete = optional(string, "90m")
  })
  default = {}
}

# ---- Your EKS cluster ---------------------------------------------------------------------------

variable "cluster_name" {
  description = "Name of the existing EKS cluster in this region that e6data's compute runs in (template parameter ClusterName). Empty means the region's only EKS cluster (the stack fails, naming them, when there are several)."
  type        = string

  validation {
    condition     = can(regex("^$|^[0-9A-Za-z][A-Za-z0-9\\-_]{0,99}$", var.cluster_name))
    error_message = "cluster_name must be an EKS cluster name (letters, digits, hyphens, underscores; up to 100 characters), or empty for the region's only cluster."
  }
}

variable "excluded_availability_zones" {
  description = "AZ names or AZ IDs the NLB must not use; e6data's runbook asks to avoid us-east-1e (template parameter ExcludedAvailabilityZones)."
  type        = list(string)
  default     = ["us-east-1e"]

  validation {
    condition     = alltrue([for zone in var.excluded_availability_zones : can(regex("^$|^[a-z]{2}(-[a-z0-9]+)+[a-z]$|^[a-z0-9]+(-[a-z0-9]+)*-az[0-9]+$", zone))])
    error_message = "excluded_availability_zones must hold Availability Zone names (us-east-1e) or AZ IDs (use1-az3)."
  }
}

variable "manage_oidc_provider" {
  description = "Adopt the cluster's IAM OIDC provider, or create it when missing; false leaves IAM alone (template parameter ManageOidcProvider)."
  type        = bool
  default     = true
}

# ---- e6data (ask your e6data administrator for these values) -------------------------------------

variable "e6data_account_id" {
  description = "e6data's AWS account ID; only this account may connect to the endpoint service (template parameter E6dataAccountId)."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.e6data_account_id))
    error_message = "e6data_account_id must be a 12-digit AWS account ID."
  }
}

variable "e6data_vpc_cidrs" {
  description = "e6data's control-plane VPC CIDR ranges, allowed inbound on 443 (template parameter E6dataVpcCidrs)."
  type        = list(string)

  validation {
    condition = length(var.e6data_vpc_cidrs) > 0 && alltrue([for cidr in var.e6data_vpc_cidrs :
    can(regex("^((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])/([1-9]|[12][0-9]|3[0-2])$", cidr))])
    error_message = "e6data_vpc_cidrs must hold IPv4 CIDR ranges like 10.200.0.0/16 (ask e6data for their control-plane VPC CIDRs)."
  }
}

variable "e6data_bucket_names" {
  description = "S3 buckets e6data reads; each gets one aws:SourceVpce statement. An empty list skips the bucket policies, runbook step 6 (template parameter E6dataBucketNames)."
  type        = list(string)

  validation {
    condition     = alltrue([for bucket in var.e6data_bucket_names : can(regex("^$|^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", bucket))])
    error_message = "e6data_bucket_names must hold S3 bucket names (3-63 lowercase letters, digits, dots and hyphens), without s3:// or ARNs."
  }
}

variable "bucket_policy_principal_scope" {
  description = "ThisAccount adds aws:PrincipalAccount to the bucket statement; AnyPrincipal is the runbook's literal statement (template parameter BucketPolicyPrincipalScope)."
  type        = string
  default     = "ThisAccount"

  validation {
    condition     = contains(["ThisAccount", "AnyPrincipal"], var.bucket_policy_principal_scope)
    error_message = "bucket_policy_principal_scope must be ThisAccount or AnyPrincipal."
  }
}

# ---- PrivateLink connection ---------------------------------------------------------------------

variable "endpoint_acceptance_required" {
  description = "When true, only e6data's own connection requests are accepted, by the stack, then on every scheduled acceptance run, every reconcile_interval_minutes (template parameter EndpointAcceptanceRequired)."
  type        = bool
  default     = true
}

variable "wait_for_e6data_connection_minutes" {
  description = "How long the stack waits for e6data's endpoint to connect before failing; 0 returns at once (template parameter WaitForE6dataConnectionMinutes)."
  type        = number
  default     = 0

  validation {
    condition     = var.wait_for_e6data_connection_minutes >= 0 && var.wait_for_e6data_connection_minutes <= 13 && floor(var.wait_for_e6data_connection_minutes) == var.wait_for_e6data_connection_minutes
    error_message = "wait_for_e6data_connection_minutes must be a whole number of minutes from 0 to 13."
  }
}

# ---- Operations ---------------------------------------------------------------------------------

variable "reconcile_interval_minutes" {
  description = "How often the target group is re-checked against the cluster's control-plane ENIs, and e6data's connection accepted (template parameter ReconcileIntervalMinutes)."
  type        = number
  default     = 1

  validation {
    condition     = var.reconcile_interval_minutes >= 1 && var.reconcile_interval_minutes <= 60 && floor(var.reconcile_interval_minutes) == var.reconcile_interval_minutes
    error_message = "reconcile_interval_minutes must be a whole number of minutes from 1 to 60."
  }
}

variable "alarm_email" {
  description = "Optional e-mail subscribed to the stack's alarms; confirm the subscription mail (template parameter AlarmEmail)."
  type        = string
  default     = ""

  validation {
    condition     = can(regex("^$|^[^@\\s]+@[^@\\s]+$", var.alarm_email))
    error_message = "alarm_email must be an e-mail address, or empty."
  }
}

variable "alarm_topic_kms_key_arn" {
  description = "Optional customer managed KMS key for the alarm topic; its key policy must allow cloudwatch.amazonaws.com kms:Decrypt and kms:GenerateDataKey* (template parameter AlarmTopicKmsKeyArn)."
  type        = string
  default     = ""

  validation {
    condition     = can(regex("^$|^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[a-zA-Z0-9-]+$", var.alarm_topic_kms_key_arn))
    error_message = "alarm_topic_kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), or empty; not an alias such as alias/aws/sns."
  }
}

variable "log_retention_in_days" {
  description = "Retention of the functions' log groups; Control Tower's CT.CLOUDWATCH.PR.2 requires 365 or more (template parameter LogRetentionInDays)."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_in_days)
    error_message = "log_retention_in_days must be one of CloudWatch Logs' retention values: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653."
  }
}

# ---- Governed accounts (docs/governance.md) -------------------------------------------------------

variable "permissions_boundary" {
  description = "Optional permissions boundary (managed policy ARN) put on every IAM role the stack creates (template parameter PermissionsBoundary)."
  type        = string
  default     = ""

  validation {
    condition     = can(regex("^$|^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/[A-Za-z0-9+=,.@_/-]{1,512}$", var.permissions_boundary))
    error_message = "permissions_boundary must be an IAM managed policy ARN (arn:aws:iam::<account>:policy/<path/name>), or empty."
  }
}

variable "resource_tags" {
  description = "Optional tags for what the functions create: the OIDC provider, the 443 rules, the S3 gateway endpoint (template parameter ResourceTags, sent as Key=Value,...). The stack's own resources get var.tags."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for key, value in var.resource_tags : can(regex("^$|^[\\p{L}\\p{Z}\\p{N}_.:/+\\-@]{1,127}=[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{0,255}$", "${key}=${value}"))])
    error_message = "resource_tags must hold keys (up to 127 characters, no =) and values (up to 255) of letters, digits, spaces and _ . : / = + - @ only."
  }
}

variable "log_group_kms_key_arn" {
  description = "Optional customer managed KMS key for the functions' log groups; its key policy must allow logs.<region>.amazonaws.com (template parameter LogGroupKmsKeyArn)."
  type        = string
  default     = ""

  validation {
    condition     = can(regex("^$|^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[a-zA-Z0-9-]+$", var.log_group_kms_key_arn))
    error_message = "log_group_kms_key_arn must be a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>) in the stack's region, or empty."
  }
}

variable "nlb_access_logs_bucket" {
  description = "Optional bucket for the NLB's access logs (Control Tower's CT.ELASTICLOADBALANCING.PR.6); an NLB logs TLS listeners only, so with e6link's TCP listener no files are written (template parameter NlbAccessLogsBucket)."
  type        = string
  default     = ""

  validation {
    condition     = can(regex("^$|^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.nlb_access_logs_bucket))
    error_message = "nlb_access_logs_bucket must be an S3 bucket name in the stack's region, or empty."
  }
}

variable "enforce_security_group_inbound_rules_on_private_link_traffic" {
  description = "on: only sources in e6data_vpc_cidrs reach 443 through PrivateLink (other e6data addresses are dropped silently; NoTrafficWhileConnectedAlarm notices); off: every endpoint the service accepted (only e6data's account) reaches 443 (template parameter EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic)."
  type        = string
  default     = "on"

  validation {
    condition     = contains(["on", "off"], var.enforce_security_group_inbound_rules_on_private_link_traffic)
    error_message = "enforce_security_group_inbound_rules_on_private_link_traffic must be \"on\" or \"off\"."
  }
}

variable "tcp_idle_timeout_seconds" {
  description = "The NLB listener's tcp.idle_timeout.seconds; the default outlives the API server's longest default watch (template parameter TcpIdleTimeoutSeconds)."
  type        = number
  default     = 3900

  validation {
    condition     = var.tcp_idle_timeout_seconds >= 60 && var.tcp_idle_timeout_seconds <= 6000 && floor(var.tcp_idle_timeout_seconds) == var.tcp_idle_timeout_seconds
    error_message = "tcp_idle_timeout_seconds must be a whole number of seconds from 60 to 6000."
  }
}

variable "supported_regions" {
  description = "Other regions e6data may create its interface endpoint in (cross-region PrivateLink); the stack's own region is always allowed (template parameter SupportedRegions)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for region in var.supported_regions : can(regex("^[a-z]{2,4}(-[a-z]+)+-[0-9]{1,2}$", region))])
    error_message = "supported_regions must hold region names like us-west-2 (no AZ names, no AZ IDs)."
  }
}

variable "no_traffic_alarm_minutes" {
  description = "Minutes without a flow reaching the NLB while e6data's connection is Available before NoTrafficWhileConnectedAlarm (template parameter NoTrafficAlarmMinutes)."
  type        = number
  default     = 60

  validation {
    condition     = var.no_traffic_alarm_minutes >= 5 && var.no_traffic_alarm_minutes <= 1440 && floor(var.no_traffic_alarm_minutes) == var.no_traffic_alarm_minutes
    error_message = "no_traffic_alarm_minutes must be a whole number of minutes from 5 to 1440."
  }
}

variable "existing_s3_gateway_endpoint_id" {
  description = "An S3 gateway endpoint of the cluster's VPC (in a shared VPC, the owner account's) the stack uses as is: no endpoint created, no route added, nothing removed on delete; empty adopts or creates one (template parameter ExistingS3GatewayEndpointId)."
  type        = string
  default     = ""

  validation {
    condition     = can(regex("^$|^vpce-[0-9a-f]{8,17}$", var.existing_s3_gateway_endpoint_id))
    error_message = "existing_s3_gateway_endpoint_id must be a VPC endpoint id like vpce-0123456789abcdef0, or empty."
  }
}
