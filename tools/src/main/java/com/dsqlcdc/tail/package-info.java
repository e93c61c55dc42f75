/**
 * {@code tail}: follows the Kinesis stream of the pipeline and prints each DSQL change as it
 * arrives, decoded by the consumer's own {@link com.dsqlcdc.consumer.decode.ChangeDecoder}. Run it
 * with {@code tools/tail}; see the README.
 */
package com.dsqlcdc.tail;
