/**
 * Per-access benchmarks of value, list, map and keyed state on every backend under test.
 *
 * <p>May import JMH and the {@code jmh} backend and key packages.
 */
package io.tidemark.jmh.state;
