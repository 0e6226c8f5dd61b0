/**
 * The {@code tidemark} launcher (picocli): {@code run}, {@code demo}, {@code savepoint}, {@code stop},
 * {@code inspect}, and the control port ({@code ControlServer}: loopback unless {@code --bind}, bearer token with
 * {@code --auth-token-file}). The top layer of the module: nothing imports it.
 *
 * <p>May import every other pipeline package, core, the checkpoint module, picocli, HdrHistogram and the JDK's HTTP
 * server.
 */
package io.tidemark.pipeline.cli;
