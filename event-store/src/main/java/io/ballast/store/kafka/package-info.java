/** The event store and Kafka: exactly-once archiving of every ballast.* topic, the outbox, and published tree heads. */
package io.ballast.store.kafka;
