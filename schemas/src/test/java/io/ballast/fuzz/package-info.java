/**
 * Fuzzers (jqwik properties over generated garbage and mutations of valid input): bounded in {@code mvn verify}
 * by {@code jqwik.tries.default}, longer with {@code -Pfuzz}. An input that ever found a failure stays here as
 * an {@code @Example}.
 */
package io.ballast.fuzz;
