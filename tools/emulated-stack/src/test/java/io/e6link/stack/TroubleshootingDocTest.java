package io.e6link.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.e6link.testing.Events;
import io.e6link.testing.Template;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/troubleshooting.md and the failure reasons of the code in step, both ways, by reading the
 * main sources of functions/ and layers/custom-resource-kit/ (no AWS, no compilation).
 *
 * <p><b>Code → doc.</b> A <em>message site</em> is where a reason is written:
 * <ul>
 *   <li>{@code new XxxException(message, ...)}: the message argument ({@code InvalidPropertyException}: its
 *       last argument, the expectation);</li>
 *   <li>a call {@code invalid(property, value, expectation)} ({@code SOURCES.invalid}, {@code ResourceProperties.invalid},
 *       a local helper): the expectation;</li>
 *   <li>reason builders: an assignment to a variable named {@code reason}, {@code prefix} or {@code problem}
 *       ({@code =} or {@code +=}), {@code reason.append(...)}, {@code problems.add(...)}, the last argument of
 *       {@code ResponseBody.failed(...)}, and, in {@code AwsErrors.java}, a {@code return} whose expression
 *       starts with a string literal;</li>
 *   <li>in the scheduled functions (no stack event), the message of their failed runs' ERROR line: the second
 *       argument of {@code super(...)}, which the kit's {@code ScheduledFunction} logs.</li>
 * </ul>
 * The message expression is split into its constant parts: runs of string literals joined by {@code +}, with
 * {@code static final} String/int constants of the main sources resolved and a parenthesised ternary of
 * literals ({@code (one ? " is" : " are")}) expanded into its alternatives. Of a top-level ternary, only the
 * branches count. Every constant part of at least {@value #MIN_PART} characters (after trimming) must appear
 * verbatim in a marked message of the doc; the first one is the message's start, used in reports. A message
 * argument that calls a String method of the same file is followed into that method's return statements.
 * Sites whose message has no such part (a reason passed through) must be listed in {@link #PASS_THROUGH}.
 *
 * <p><b>Doc → code.</b> The doc marks messages as {@code - **Message:** `...`} (one distinct reason) and
 * {@code - **Variant:** `...`} (another wording or an appended clause of the entry's message), with
 * {@code <placeholders>} for the variable parts. Each text between placeholders (that holds a letter or digit)
 * must be what the code writes between two variable parts: a sequence of whole constant parts. So a message
 * reworded or removed in the code fails here.
 */
class TroubleshootingDocTest {
    static final int MIN_PART = 12;
    static final Pattern MESSAGE_LINE = Pattern.compile("^\\s*- \\*\\*(Message|Variant):\\*\\* `([^`]+)`", Pattern.MULTILINE);
    static final Pattern PLACEHOLDER = Pattern.compile("<[^<>]+>");

    /** Sites whose message argument has no constant part, and why that is fine. Key: file and argument as written. */
    static final Map<String, String> PASS_THROUGH = Map.ofEntries(
            Map.entry("EksClusterDiscoveryResource.java: SubnetTopology.noSubnetLeft(name, nlb, wanted.excludedZones())",
                    "SubnetTopology.noSubnetLeft builds it (shared with the preflight): its reason.append parts are extracted there"),
            Map.entry("ScheduledFunction.java: reason",
                    "AwsErrors.reason of a scheduled run's failure: every such reason is extracted where it is made"),
            Map.entry("PolicyTransaction.java: reason",
                    "AwsErrors.reason of the failure plus the put-back clauses appended with reason +=, which are extracted"),
            Map.entry("ConnectionAcceptanceFunction.java: String.join(\"; \", problems)",
                    "the problems are extracted at problems.add(...)"),
            Map.entry("ResourceTags.java: problem",
                    "the problems are extracted at the assignment to problem"),
            Map.entry("PropertySources.java: expectation",
                    "the kit's InvalidPropertyException factory: expectations are extracted at each invalid(...) call"),
            Map.entry("ResourceProperties.java: expectation",
                    "delegates to PropertySources.invalid: expectations are extracted at each invalid(...) call"),
            Map.entry("S3GatewayEndpointResource.java: unusable.get()",
                    "GatewayEndpoints.unusableAsGiven (shared with the preflight): its problem assignments are extracted there"),
            Map.entry("S3GatewayEndpointResource.java: GatewayEndpoints.givenNotFound(id, wanted.vpcId())",
                    "GatewayEndpoints.givenNotFound (shared with the preflight): its reason assignment is extracted there"),
            Map.entry("Json.java: e",
                    "UncheckedIOException of a JSON read; shows as the generic internal error"),
            Map.entry("BucketPolicyStore.java: AwsErrors.reason(e)",
                    "AwsFailureTranslation's sentence for access denied: extracted where AwsErrors.denied writes it"),
            Map.entry("IamPropagationRetry.java: e.getMessage()",
                    "the SDK strategy's refusal to retry, passed on: the SDK then throws the call's own failure, never this message"));
    /**
     * Constant parts that are not a failure a customer can meet: programming errors that cannot happen, and the
     * SDK retry strategy's refusal message (the SDK throws the call's failure instead).
     */
    static final Set<String> NOT_REASONS = Set.of(
            "Still denied",
            "ms after the first denial (IAM propagation window",
            "SHA-256 is always available",
            "physicalResourceId must not be empty",
            "An embedded metric document needs at least one metric.",
            "has no value.",
            "is listed twice.",
            // OutboundRules reads CIDRs AWS itself reported (subnets, security group rules): never a customer's input.
            "' is not an IPv4 address or CIDR");

    private static final Path ROOT = Events.projectRoot();
    private static final Sources SOURCES = Sources.load(ROOT);

    @Test
    void everyReasonTheCodeWritesIsInTheDoc() {
        List<String> missing = missingFromDoc(SOURCES.sites(), doc());

        assertThat(SOURCES.sites()).as("message sites found in the main sources").hasSizeGreaterThan(80);
        assertThat(missing).as("reasons the code writes that docs/troubleshooting.md does not show verbatim in a "
                + "'- **Message:** `...`' or '- **Variant:** `...`' line; add an entry (message, cause, fix)").isEmpty();
    }

    @Test
    void everyMessageInTheDocIsStillWrittenByTheCode() {
        List<String> stale = notWrittenByCode(doc(), SOURCES.corpus());

        assertThat(messages(doc())).as("messages marked in docs/troubleshooting.md").hasSizeGreaterThan(80);
        assertThat(stale).as("messages in docs/troubleshooting.md whose text the code no longer writes "
                + "(reworded or removed): update or drop the entry").isEmpty();
    }

    @Test
    void everyMessageSiteHasAConstantPartOrIsAKnownPassThrough() {
        Set<String> passThrough = SOURCES.passThroughs();

        assertThat(passThrough).as("message sites without a constant part of %s+ characters: write the reason as a "
                + "literal at the site, or list the site in PASS_THROUGH saying where its text is extracted", MIN_PART)
                .isSubsetOf(PASS_THROUGH.keySet());
        assertThat(PASS_THROUGH.keySet()).as("PASS_THROUGH entries that match no site any more").isSubsetOf(passThrough);
    }

    @Test
    void everyCustomResourceScheduledFunctionLogGroupAndAlarmHasItsPlace() {
        String doc = doc();
        Template template = Template.load();
        List<String> absent = new ArrayList<>();
        template.section("Resources").forEach((logicalId, value) -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> resource = (Map<String, Object>) value;
            String type = String.valueOf(resource.get("Type"));
            if (type.startsWith("Custom::") && !doc.contains("## `" + logicalId + "` — `" + type + "`")) {
                absent.add("a section '## `" + logicalId + "` — `" + type + "`'");
            }
            if (type.equals("AWS::CloudWatch::Alarm") && !doc.contains("`" + logicalId + "`")) {
                absent.add("the alarm `" + logicalId + "`");
            }
            if (type.equals("AWS::Logs::LogGroup")) {
                Object name = template.properties(logicalId).get("LogGroupName");
                String sub = name instanceof Map<?, ?> map ? String.valueOf(map.get("Fn::Sub")) : String.valueOf(name);
                String shown = sub.replace("${AWS::StackName}", "<stack>");
                if (!doc.contains("`" + shown + "`")) {
                    absent.add("the log group `" + shown + "`");
                }
            }
        });
        assertThat(absent).as("what docs/troubleshooting.md must name, from template.yaml").isEmpty();
    }

    /** The checks themselves: an entry taken out of the doc, and one made up, are both reported. */
    @Test
    void aRemovedEntryAndAnInventedOneAreBothCaught() {
        String doc = doc();
        String removed = "Endpoint service <service> is <state>, not Available; wait until it is Available and retry, or recreate it if it Failed.";
        assertThat(doc).contains("- **Message:** `" + removed + "`");
        String edited = doc.replace("- **Message:** `" + removed + "`", "")
                + "\n- **Message:** `EKS cluster '<cluster>' is out of flux; recharge the capacitor and retry.`\n";

        assertThat(missingFromDoc(SOURCES.sites(), edited)).singleElement().asString()
                .contains("PrivateLinkChecks.java").contains(", not Available; wait until it is Available and retry, or recreate it if it Failed.");
        assertThat(notWrittenByCode(edited, SOURCES.corpus())).singleElement().asString()
                .contains("is out of flux; recharge the capacitor and retry.");
    }

    @Test
    void theExtractionReadsConstantsTernariesAndHelpers() {
        Map<String, List<String>> partsByStart = new HashMap<>();
        SOURCES.sites().forEach(site -> partsByStart.computeIfAbsent(site.file() + ":" + site.start(), key -> new ArrayList<>())
                .addAll(site.parts().stream().flatMap(List::stream).toList()));

        // A constant resolved in an expectation (ClusterName.RULE) and an int constant (MAX_VALUE_LENGTH).
        assertThat(partsByStart).containsKey("ClusterName.java:an EKS cluster name is 1-100 letters, digits, hyphens and underscores, "
                + "starting with a letter or digit");
        assertThat(SOURCES.corpus().parts()).contains(" characters, more than the 256 AWS allows; use a shorter stack name.");
        // 20 * 1024, and a ternary of literals expanded in place.
        assertThat(SOURCES.corpus().parts()).contains(" are still open ").anyMatch(run -> run.contains(" bytes, over S3's 20 KB (20480 bytes) limit;"))
                .anyMatch(run -> run.startsWith(" s after they were rejected and block deleting the service; reject them in the VPC console"));
        // The kit's subject, a property named by PropertySources, and an expectation: pieces the doc joins.
        assertThat(SOURCES.corpus().writes("E6dataVpcCidrs (property Cidrs) has invalid value '")).isTrue();
        assertThat(SOURCES.corpus().writes("The function was while ")).isFalse();
        assertThat(SOURCES.corpus().writes(" kept ")).isFalse();
        // Reason builders: the kit's timeout, the AWS error translation, the tag problems, the scheduled function's problems.
        assertThat(partsByStart).containsKeys("CustomResourceFunction.java:Timed out after ", "AwsErrors.java:An AWS API call timed out (",
                "ConnectionAcceptanceFunction.java:AWS did not accept e6data's endpoint connections to ");
        assertThat(partsByStart.get("AwsErrors.java:The function's IAM role is not allowed to do this in ")).contains(" refused the request (");
        assertThat(partsByStart.get("ResourceTags.java:expected Key=Value")).contains("keys starting with aws: are reserved by AWS");
        // A message built by a String helper of the same file, and clauses appended to a StringBuilder named reason.
        assertThat(partsByStart.get("SubnetTopology.java:ExcludedAvailabilityZones=")).contains(" from ExcludedAvailabilityZones, "
                + "or delete and recreate the stack to move the NLB.");
        assertThat(partsByStart).containsKeys("SubnetTopology.java:; only public subnets in ", "ReconcilerFunction.java:Target reconcile failed");
    }

    // ---- the two directions --------------------------------------------------------------------------

    static List<String> missingFromDoc(List<Site> sites, String doc) {
        String shown = String.join("\n", messages(doc));
        List<String> missing = new ArrayList<>();
        for (Site site : sites) {
            for (List<String> alternatives : site.parts()) {
                if (alternatives.stream().noneMatch(part -> shown.contains(part.strip()))) {
                    missing.add(site.file() + ":" + site.line() + " \"" + alternatives.getFirst().strip() + "\""
                            + (alternatives.getFirst().equals(site.start()) ? "" : " (in the message starting \"" + site.start().strip() + "\")"));
                }
            }
        }
        return missing;
    }

    static List<String> notWrittenByCode(String doc, Corpus corpus) {
        List<String> stale = new ArrayList<>();
        for (String message : messages(doc)) {
            for (String fragment : PLACEHOLDER.split(message)) {
                if (fragment.chars().anyMatch(Character::isLetterOrDigit) && !corpus.writes(fragment)) {
                    stale.add("`" + message + "`: no code writes \"" + fragment + "\" between two variable parts");
                    break;
                }
            }
        }
        return stale;
    }

    /**
     * The constant parts of the main sources: every run of every file, each alternative, cut where a literal
     * itself holds a {@code <placeholder>} ({@code "expected https://<host>/<path>"}).
     */
    record Corpus(Set<String> parts, Map<Character, List<String>> byFirstChar) {
        Corpus(Set<String> runs) {
            this(split(runs), null);
        }

        Corpus {
            if (byFirstChar == null) {
                byFirstChar = parts.stream().collect(Collectors.groupingBy(part -> part.charAt(0)));
            }
        }

        private static Set<String> split(Set<String> runs) {
            Set<String> parts = new LinkedHashSet<>();
            for (String run : runs) {
                for (String part : PLACEHOLDER.split(run)) {
                    if (!part.isEmpty()) {
                        parts.add(part);
                    }
                }
            }
            return Set.copyOf(parts);
        }

        /**
         * True when {@code text}, the text between two variable parts of a message, is a sequence of whole
         * constant parts: what concatenation writes there (one literal, or a literal, a constant from a
         * helper such as {@code "Amazon EKS "}, the kit's {@code " (property "}, another literal...).
         */
        boolean writes(String text) {
            boolean[] reached = new boolean[text.length() + 1];
            reached[0] = true;
            for (int at = 0; at < text.length(); at++) {
                if (reached[at]) {
                    for (String part : byFirstChar.getOrDefault(text.charAt(at), List.of())) {
                        if (text.startsWith(part, at)) {
                            reached[at + part.length()] = true;
                        }
                    }
                }
            }
            return reached[text.length()];
        }
    }

    static List<String> messages(String doc) {
        List<String> messages = new ArrayList<>();
        Matcher matcher = MESSAGE_LINE.matcher(doc);
        while (matcher.find()) {
            messages.add(matcher.group(2));
        }
        return messages;
    }

    private static String doc() {
        try {
            return Files.readString(ROOT.resolve("docs/troubleshooting.md"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- reading the sources -------------------------------------------------------------------------

    /** One place a reason is written; {@code parts} are its constant parts, each as its alternatives. */
    record Site(String file, int line, String argument, List<List<String>> parts, boolean mustHaveText) {
        String start() {
            return parts.isEmpty() ? "" : parts.getFirst().getFirst();
        }
    }

    /** Every main source file read once: message sites, and the corpus of constant parts (joined by NUL). */
    record Sources(List<Site> sites, Set<String> passThroughs, Corpus corpus) {

        static Sources load(Path root) {
            List<Path> files;
            try (Stream<Path> functions = Files.walk(root.resolve("functions"));
                 Stream<Path> kit = Files.walk(root.resolve("layers/custom-resource-kit/src/main/java"))) {
                files = Stream.concat(functions.filter(path -> path.toString().contains("/src/main/java/")), kit)
                        .filter(path -> path.toString().endsWith(".java")).sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            List<JavaFile> parsed = files.stream().map(JavaFile::read).toList();
            Constants constants = Constants.of(parsed);
            List<Site> sites = new ArrayList<>();
            Set<String> passThroughs = new LinkedHashSet<>();
            Set<String> corpus = new LinkedHashSet<>();
            for (JavaFile file : parsed) {
                Expressions expressions = new Expressions(file, constants);
                corpus.addAll(expressions.runs(0, file.tokens().size()).stream().flatMap(List::stream).toList());
                for (Site site : expressions.sites()) {
                    if (site.parts().isEmpty()) {
                        if (site.mustHaveText()) {
                            passThroughs.add(site.file() + ": " + site.argument());
                        }
                    } else {
                        sites.add(site);
                    }
                }
            }
            return new Sources(List.copyOf(sites), passThroughs, new Corpus(corpus));
        }
    }

    enum Kind { STRING, NAME, NUMBER, CHAR, PUNCT }

    record Token(Kind kind, String text, int line, int start, int end) {
        boolean is(String punct) {
            return (kind == Kind.PUNCT || kind == Kind.NAME) && text.equals(punct);
        }

        /** The last segment of a (qualified) name: {@code SOURCES.invalid} → {@code invalid}. */
        String simpleName() {
            return kind == Kind.NAME ? text.substring(text.lastIndexOf('.') + 1) : "";
        }
    }

    /** A source file as tokens: enough of Java's lexical grammar for literals, (qualified) names and brackets. */
    record JavaFile(String name, String source, List<Token> tokens) {
        private static final List<String> OPERATORS = List.of("::", "->", "+=", "==", "!=", "<=", ">=", "&&", "||", "++", "--");

        static JavaFile read(Path path) {
            try {
                String source = Files.readString(path);
                return new JavaFile(path.getFileName().toString(), source, lex(source));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String className() {
            return name.substring(0, name.length() - ".java".length());
        }

        static List<Token> lex(String s) {
            List<Token> tokens = new ArrayList<>();
            int i = 0;
            int line = 1;
            while (i < s.length()) {
                char c = s.charAt(i);
                int start = i;
                if (c == '\n') {
                    line++;
                    i++;
                } else if (Character.isWhitespace(c)) {
                    i++;
                } else if (s.startsWith("//", i)) {
                    i = s.indexOf('\n', i) < 0 ? s.length() : s.indexOf('\n', i);
                } else if (s.startsWith("/*", i)) {
                    int end = s.indexOf("*/", i + 2);
                    i = end < 0 ? s.length() : end + 2;
                    line += count(s, start, i);
                } else if (s.startsWith("\"\"\"", i)) {
                    int end = s.indexOf("\"\"\"", i + 3);
                    i = end < 0 ? s.length() : end + 3;
                    tokens.add(new Token(Kind.STRING, s.substring(s.indexOf('\n', start) + 1, Math.max(start + 3, i - 3)), line, start, i));
                    line += count(s, start, i);
                } else if (c == '"' || c == '\'') {
                    StringBuilder value = new StringBuilder();
                    i++;
                    while (i < s.length() && s.charAt(i) != c) {
                        char ch = s.charAt(i);
                        if (ch == '\\' && i + 1 < s.length()) {
                            char escaped = s.charAt(i + 1);
                            value.append(switch (escaped) {
                                case 'n' -> '\n';
                                case 't' -> '\t';
                                case 'r' -> '\r';
                                case 'b' -> '\b';
                                case 'f' -> '\f';
                                case '0' -> '\0';
                                default -> escaped;
                            });
                            i += 2;
                        } else {
                            value.append(ch);
                            i++;
                        }
                    }
                    i++;
                    tokens.add(new Token(c == '"' ? Kind.STRING : Kind.CHAR, value.toString(), line, start, i));
                } else if (Character.isJavaIdentifierStart(c)) {
                    // Qualified names stay one token: ZoneExclusions.PROPERTY, SOURCES.invalid.
                    while (i < s.length() && (Character.isJavaIdentifierPart(s.charAt(i))
                            || (s.charAt(i) == '.' && i + 1 < s.length() && Character.isJavaIdentifierStart(s.charAt(i + 1))))) {
                        i++;
                    }
                    tokens.add(new Token(Kind.NAME, s.substring(start, i), line, start, i));
                } else if (Character.isDigit(c)) {
                    while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_' || s.charAt(i) == '.')) {
                        i++;
                    }
                    tokens.add(new Token(Kind.NUMBER, s.substring(start, i), line, start, i));
                } else {
                    int at = i;
                    String operator = OPERATORS.stream().filter(op -> s.startsWith(op, at)).findFirst().orElse(String.valueOf(c));
                    i += operator.length();
                    tokens.add(new Token(Kind.PUNCT, operator, line, start, i));
                }
            }
            return List.copyOf(tokens);
        }

        private static int count(String s, int from, int to) {
            int lines = 0;
            for (int i = from; i < to; i++) {
                if (s.charAt(i) == '\n') {
                    lines++;
                }
            }
            return lines;
        }
    }

    /** {@code static final} String and int constants: per class, and by simple name where all definitions agree. */
    record Constants(Map<String, Map<String, String>> byClass, Map<String, String> unique) {
        private static final Pattern INT_PRODUCT = Pattern.compile("\\d+(\\*\\d+)*");

        static Constants of(List<JavaFile> files) {
            Map<String, Map<String, String>> byClass = new TreeMap<>();
            Constants constants = new Constants(byClass, new HashMap<>());
            // Constants may be built from other constants: a few passes resolve such chains.
            for (int pass = 0; pass < 3; pass++) {
                for (JavaFile file : files) {
                    List<Token> t = file.tokens();
                    for (int i = 0; i + 4 < t.size(); i++) {
                        if (t.get(i).is("static") && t.get(i + 1).is("final") && t.get(i + 3).kind() == Kind.NAME
                                && t.get(i + 4).is("=") && t.get(i + 3).text().matches("[A-Z][A-Z0-9_]*")) {
                            int end = i + 5;
                            while (end < t.size() && !t.get(end).is(";")) {
                                end++;
                            }
                            String value = constants.evaluate(file, i + 5, end, t.get(i + 2).text());
                            if (value != null) {
                                byClass.computeIfAbsent(file.className(), key -> new TreeMap<>()).put(t.get(i + 3).text(), value);
                            }
                        }
                    }
                }
                constants.unique().clear();
                Map<String, Set<String>> values = new HashMap<>();
                byClass.values().forEach(map -> map.forEach((name, value) -> values.computeIfAbsent(name, key -> new LinkedHashSet<>()).add(value)));
                values.forEach((name, set) -> {
                    if (set.size() == 1) {
                        constants.unique().put(name, set.iterator().next());
                    }
                });
            }
            return constants;
        }

        private String evaluate(JavaFile file, int from, int to, String type) {
            if (type.equals("int") || type.equals("long")) {
                String expression = file.tokens().subList(from, to).stream().map(Token::text).collect(Collectors.joining());
                if (INT_PRODUCT.matcher(expression).matches()) {
                    long product = 1;
                    for (String factor : expression.split("\\*")) {
                        product *= Long.parseLong(factor);
                    }
                    return String.valueOf(product);
                }
                return null;
            }
            if (!type.equals("String")) {
                return null;
            }
            List<String> chain = new Expressions(file, this).chain(from, to);
            return chain == null || chain.size() != 1 ? null : chain.getFirst();
        }

        /** The value a name refers to in {@code file}, or null. */
        String resolve(JavaFile file, String name) {
            String[] segments = name.split("\\.");
            String simple = segments[segments.length - 1];
            if (!simple.matches("[A-Z][A-Z0-9_]*")) {
                return null;
            }
            if (segments.length >= 2) {
                Map<String, String> owner = byClass.get(segments[segments.length - 2]);
                return owner == null ? null : owner.get(simple);
            }
            Map<String, String> own = byClass.getOrDefault(file.className(), Map.of());
            return own.containsKey(simple) ? own.get(simple) : unique.get(simple);
        }
    }

    /** Expressions of one file: constant parts (runs) and message sites. */
    record Expressions(JavaFile file, Constants constants) {
        private static final int MAX_ALTERNATIVES = 64;
        private static final Set<String> REASON_VARIABLES = Set.of("reason", "prefix", "problem");
        /** Their failures show only in their log: the ERROR line's message (given to the kit) is what to search for. */
        private static final Set<String> SCHEDULED = Set.of("ReconcilerFunction.java", "ConnectionAcceptanceFunction.java");

        private List<Token> t() {
            return file.tokens();
        }

        List<Site> sites() {
            List<Site> sites = new ArrayList<>();
            List<Token> t = t();
            for (int i = 0; i < t.size(); i++) {
                Token token = t.get(i);
                Token next = i + 1 < t.size() ? t.get(i + 1) : null;
                Token previous = i > 0 ? t.get(i - 1) : null;
                if (token.is("new") && next != null && next.kind() == Kind.NAME && next.simpleName().endsWith("Exception")
                        && i + 2 < t.size() && t.get(i + 2).is("(")) {
                    List<int[]> args = arguments(i + 2);
                    if (!args.isEmpty()) {
                        int[] message = next.simpleName().equals("InvalidPropertyException") ? args.getLast() : args.getFirst();
                        sites.add(helperOrSite(token, message));
                    }
                } else if (token.simpleName().equals("invalid") && next != null && next.is("(") && isCall(token, previous)) {
                    List<int[]> args = arguments(i + 1);
                    if (args.size() == 3) {
                        sites.add(helperOrSite(token, args.get(2)));
                    }
                } else if (token.kind() == Kind.NAME && REASON_VARIABLES.contains(token.text()) && next != null
                        && (next.is("=") || next.is("+="))) {
                    int end = i + 2;
                    int depth = 0;
                    while (end < t.size() && !(depth == 0 && t.get(end).is(";"))) {
                        depth += depthChange(t.get(end));
                        end++;
                    }
                    sites.add(site(token, new int[] {i + 2, end}, false));
                } else if ((token.text().equals("problems.add") || token.text().equals("reason.append") || token.text().equals("ResponseBody.failed")
                        || (token.text().equals("failed") && previous != null && previous.is("return"))
                        || (token.is("super") && SCHEDULED.contains(file.name())))
                        && next != null && next.is("(")) {
                    List<int[]> args = arguments(i + 1);
                    if (token.is("super") && args.size() > 1) {
                        sites.add(site(token, args.get(1), false));
                    } else if (!token.is("super") && !args.isEmpty()) {
                        sites.add(site(token, args.getLast(), false));
                    }
                } else if (file.name().equals("AwsErrors.java") && token.is("return") && next != null && next.kind() == Kind.STRING) {
                    int end = i + 1;
                    while (end < t.size() && !t.get(end).is(";")) {
                        end++;
                    }
                    sites.add(site(token, new int[] {i + 1, end}, false));
                }
            }
            return sites;
        }

        /**
         * The site of a message argument. When the argument is a call of a String method of the same file
         * ({@code noSubnetLeft(...)}), the message is built there: the constant parts of its return statements.
         */
        private Site helperOrSite(Token at, int[] range) {
            Site site = site(at, range, true);
            List<Token> t = t();
            if (!site.parts().isEmpty() || range[1] - range[0] < 3 || t.get(range[0]).kind() != Kind.NAME
                    || t.get(range[0]).text().contains(".") || !t.get(range[0] + 1).is("(") || !t.get(range[1] - 1).is(")")) {
                return site;
            }
            String helper = t.get(range[0]).text();
            for (int i = 0; i + 2 < t.size(); i++) {
                if (t.get(i).is("String") && t.get(i + 1).is(helper) && t.get(i + 2).is("(")) {
                    int body = i + 2;
                    while (body < t.size() && !t.get(body).is("{")) {
                        body++;
                    }
                    int depth = 0;
                    List<List<String>> parts = new ArrayList<>();
                    for (int j = body; j < t.size(); j++) {
                        depth += depthChange(t.get(j));
                        if (depth == 0) {
                            break;
                        }
                        if (t.get(j).is("return")) {
                            int end = j + 1;
                            int inner = 0;
                            while (end < t.size() && !(inner == 0 && t.get(end).is(";"))) {
                                inner += depthChange(t.get(end));
                                end++;
                            }
                            parts.addAll(site(t.get(j), new int[] {j + 1, end}, true).parts());
                        }
                    }
                    if (!parts.isEmpty()) {
                        return new Site(site.file(), at.line(), site.argument(), List.copyOf(parts), true);
                    }
                }
            }
            return site;
        }

        /** A call, not the declaration {@code InvalidPropertyException invalid(...)}. */
        private static boolean isCall(Token name, Token previous) {
            return name.text().contains(".") || previous == null || previous.kind() != Kind.NAME
                    || previous.is("throw") || previous.is("return");
        }

        private Site site(Token at, int[] range, boolean mustHaveText) {
            List<List<String>> parts = new ArrayList<>();
            boolean notAReason = false;
            for (int[] branch : branches(range[0], range[1])) {
                for (List<String> run : runs(branch[0], branch[1])) {
                    List<String> long_ = run.stream().filter(text -> text.strip().length() >= MIN_PART).toList();
                    if (long_.stream().anyMatch(text -> NOT_REASONS.contains(text.strip()))) {
                        notAReason = true;
                    } else if (!long_.isEmpty()) {
                        parts.add(long_);
                    }
                }
            }
            String argument = range[0] < range[1]
                    ? file.source().substring(t().get(range[0]).start(), t().get(range[1] - 1).end()).replaceAll("\\s+", " ") : "";
            return new Site(file.name(), at.line(), argument, List.copyOf(parts), mustHaveText && !notAReason);
        }

        /** The branches of a top-level ternary ({@code c ? a : d ? b : e} → a, b, e); the whole range otherwise. */
        private List<int[]> branches(int from, int to) {
            List<int[]> parts = new ArrayList<>();
            List<Boolean> conditions = new ArrayList<>();
            int depth = 0;
            int start = from;
            for (int i = from; i < to; i++) {
                Token token = t().get(i);
                if (depth == 0 && (token.is("?") || token.is(":"))) {
                    parts.add(new int[] {start, i});
                    conditions.add(token.is("?"));
                    start = i + 1;
                }
                depth += depthChange(token);
            }
            parts.add(new int[] {start, to});
            conditions.add(false);
            List<int[]> branches = new ArrayList<>();
            for (int i = 0; i < parts.size(); i++) {
                if (!conditions.get(i)) {
                    branches.add(parts.get(i));
                }
            }
            return branches;
        }

        /** The argument ranges of the call whose '(' is at {@code open}. */
        private List<int[]> arguments(int open) {
            List<int[]> args = new ArrayList<>();
            int depth = 0;
            int start = open + 1;
            for (int i = open; i < t().size(); i++) {
                Token token = t().get(i);
                depth += depthChange(token);
                if (depth == 0) {
                    if (start < i) {
                        args.add(new int[] {start, i});
                    }
                    return args;
                }
                if (depth == 1 && token.is(",")) {
                    args.add(new int[] {start, i});
                    start = i + 1;
                }
            }
            return args;
        }

        private static int depthChange(Token token) {
            if (token.kind() != Kind.PUNCT) {
                return 0;
            }
            return switch (token.text()) {
                case "(", "[", "{" -> 1;
                case ")", "]", "}" -> -1;
                default -> 0;
            };
        }

        /**
         * The constant parts in {@code [from, to)}: maximal chains of literals, constants and literal ternaries
         * joined by '+', each with its alternatives.
         */
        List<List<String>> runs(int from, int to) {
            List<List<String>> runs = new ArrayList<>();
            List<String> current = null;
            boolean afterPlus = false;
            int i = from;
            while (i < to) {
                Term term = term(i, to);
                if (term != null) {
                    current = current != null && afterPlus ? concat(current, term.alternatives()) : flush(runs, current, term.alternatives());
                    afterPlus = false;
                    i = term.next();
                    continue;
                }
                if (t().get(i).is("+") && current != null && !afterPlus) {
                    afterPlus = true;
                } else {
                    flush(runs, current, null);
                    current = null;
                    afterPlus = false;
                }
                i++;
            }
            flush(runs, current, null);
            return runs;
        }

        private static List<String> flush(List<List<String>> runs, List<String> current, List<String> next) {
            if (current != null) {
                runs.add(current);
            }
            return next;
        }

        /** A whole range that is one chain of terms, or null. */
        List<String> chain(int from, int to) {
            List<String> value = null;
            int i = from;
            while (i < to) {
                Term term = term(i, to);
                if (term == null) {
                    return null;
                }
                value = value == null ? term.alternatives() : concat(value, term.alternatives());
                i = term.next();
                if (i < to) {
                    if (!t().get(i).is("+")) {
                        return null;
                    }
                    i++;
                }
            }
            return value;
        }

        private record Term(List<String> alternatives, int next) {
        }

        /** A literal, a resolvable constant, or a parenthesised chain or literal ternary starting at {@code i}. */
        private Term term(int i, int to) {
            Token token = t().get(i);
            if (token.kind() == Kind.STRING) {
                return new Term(List.of(token.text()), i + 1);
            }
            if (token.kind() == Kind.NAME && !(i + 1 < to && t().get(i + 1).is("("))) {
                String value = constants.resolve(file, token.text());
                return value == null ? null : new Term(List.of(value), i + 1);
            }
            if (token.is("(")) {
                int depth = 0;
                int close = -1;
                int question = -1;
                int colon = -1;
                for (int j = i; j < to; j++) {
                    Token inner = t().get(j);
                    if (depth == 1 && inner.is("?") && question < 0) {
                        question = j;
                    } else if (depth == 1 && inner.is(":") && question >= 0 && colon < 0) {
                        colon = j;
                    }
                    depth += depthChange(inner);
                    if (depth == 0) {
                        close = j;
                        break;
                    }
                }
                if (close < 0) {
                    return null;
                }
                if (question < 0) {
                    List<String> inner = chain(i + 1, close);
                    return inner == null ? null : new Term(inner, close + 1);
                }
                if (colon < 0) {
                    return null;
                }
                List<String> yes = chain(question + 1, colon);
                List<String> no = chain(colon + 1, close);
                if (yes == null || no == null) {
                    return null;
                }
                List<String> both = new ArrayList<>(yes);
                both.addAll(no);
                return new Term(both, close + 1);
            }
            return null;
        }

        private static List<String> concat(List<String> left, List<String> right) {
            List<String> joined = new ArrayList<>();
            for (String a : left) {
                for (String b : right) {
                    if (joined.size() < MAX_ALTERNATIVES) {
                        joined.add(a + b);
                    }
                }
            }
            return joined;
        }
    }
}
