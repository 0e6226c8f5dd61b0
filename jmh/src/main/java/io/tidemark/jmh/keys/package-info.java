/**
 * Key sequences for the benchmarks: uniform and Zipf-distributed key spaces.
 *
 * <p>Imports nothing of Tidemark.
 */
package io.tidemark.jmh.keys;
