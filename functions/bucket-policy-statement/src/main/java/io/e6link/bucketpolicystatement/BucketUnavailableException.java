package io.e6link.bucketpolicystatement;

import io.e6link.kit.CustomResourceException;

/**
 * The bucket does not exist or belongs to another account. Adding the statement must fail with this
 * reason; removing it may skip such a bucket, since this stack cannot have put a statement there.
 */
final class BucketUnavailableException extends CustomResourceException {
    BucketUnavailableException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
