/**
 * The consumer Lambda: a Kinesis batch of DSQL CDC records becomes rows of {@code cdc.cdc_events}
 * in Redshift Serverless. Entry point: {@link com.dsqlcdc.consumer.ConsumerHandler}.
 */
package com.dsqlcdc.consumer;
