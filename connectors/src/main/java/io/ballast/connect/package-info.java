/** Kafka Connect plugins: Prometheus source; Redis, Kubernetes and webhook sinks. Built by the invalidator issue and later ones. */
package io.ballast.connect;
