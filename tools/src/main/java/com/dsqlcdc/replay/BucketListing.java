package com.dsqlcdc.replay;

import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Lists a source bucket's objects, leaving out the replay's own ledgers. */
final class BucketListing {

    private BucketListing() {}

    /** @return every key under {@code prefix}, in key order, except the ledgers under {@link LedgerStore#PREFIX} */
    static List<String> keys(S3Client s3, String bucket, String prefix) {
        return s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().stream()
                .map(S3Object::key)
                .filter(key -> !key.startsWith(LedgerStore.PREFIX))
                .toList();
    }
}
