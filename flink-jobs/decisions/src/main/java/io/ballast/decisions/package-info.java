/** The decision algorithms (autoscale, invalidate, rebalance) as plain Java: no Flink, no Kafka, no RocksDB imports. */
package io.ballast.decisions;
