/**
 * The fleet's current state, as the state views keep it: per service the policy in force, the last
 * replica status and the last decision with its explanation; per cluster the nodes, the shards and the
 * last plan. Plain classes; {@code io.ballast.views.app} materialises them with Kafka Streams and serves
 * them over HTTP.
 */
package io.ballast.views;
