/**
 * The replay command: re-drives records that the consumer Lambda could not land, through the
 * Lambda's own decoding and load code ({@link com.dsqlcdc.consumer.BatchProcessors}).
 *
 * <p>Two sources: the quarantine (poison records, once their cause is fixed, e.g. a table added
 * to the catalog) and the event source mapping's S3 on-failure destination (whole failed batches,
 * read back from Kinesis when the stored payload lacks records, e.g. one too large for an
 * invocation). Each source object gets a ledger beside it once it is replayed, so a second run
 * does only what the first left undone.
 */
package com.dsqlcdc.replay;
