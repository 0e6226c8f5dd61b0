/**
 * The checkpoint file formats: data files of zstd-compressed blocks, each with a CRC32C ({@code DataFileWriter},
 * {@code DataFileReader}), and {@code _metadata} ({@link io.tidemark.checkpoint.format.MetadataCodec}). Specified in
 * {@code docs/spec/checkpoint-format.md}; readers throw only the corruption error, naming file and offset.
 *
 * <p>May import {@code io.tidemark}, {@code keygroup}, {@code checkpoint.fs} and zstd-jni.
 */
package io.tidemark.checkpoint.format;
