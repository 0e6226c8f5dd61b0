package io.tidemark.checkpoint.format;

import io.tidemark.CorruptCheckpointException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * Encodes and verifies {@code _metadata} files. All integers big-endian.
 *
 * <pre>
 *  0  magic "TDMKMETA"          8
 *  8  format version            u16
 * 10  flags (bit 0: savepoint)  u16
 * 12  total length              i32   (the whole file, including the trailing CRC)
 * 16  checkpoint id             i64
 * 24  timestamp (epoch millis)  i64
 * 32  file count                i32
 * 36  files: scope u8 | nameLength u16 | name (UTF-8) | length i64 | crc32c i32
 *  .  inline stream count       i32   (version 2 and later; absent in version 1)
 *  .  inline streams: nameLength u16 | name (UTF-8) | length i32 | bytes
 *  .  payload length            i32
 *  .  payload                   bytes
 *  .  crc32c of all bytes above i32
 * </pre>
 *
 * Encoding writes version {@value #FORMAT_VERSION}; decoding also reads version 1 (no inline streams). Decoding
 * throws only {@link CorruptCheckpointException}, whatever the bytes. Stateless, thread-safe.
 */
public final class MetadataCodec {
    static final byte[] MAGIC = "TDMKMETA".getBytes(StandardCharsets.US_ASCII);
    public static final int FORMAT_VERSION = 2;
    /** The first version with the inline stream section. */
    static final int INLINE_VERSION = 2;

    static final int VERSION_OFFSET = 8;
    static final int FLAGS_OFFSET = 10;
    static final int LENGTH_OFFSET = 12;
    static final int CHECKPOINT_ID_OFFSET = 16;
    static final int TIMESTAMP_OFFSET = 24;
    static final int FILE_COUNT_OFFSET = 32;
    static final int FILES_OFFSET = 36;
    static final int MIN_LENGTH = FILES_OFFSET + 4 + 4;
    static final int FLAG_SAVEPOINT = 1;
    static final int FILE_ENTRY_FIXED = 1 + 2 + 8 + 4;
    static final int INLINE_ENTRY_FIXED = 2 + 4;
    /** Refuse to load a metadata file larger than this (a corrupt length must not make us allocate gigabytes). */
    public static final int MAX_LENGTH = 256 * 1024 * 1024;

    private MetadataCodec() {}

    public static byte[] encode(CheckpointMetadata m) {
        List<byte[]> names = new ArrayList<>();
        long length = MIN_LENGTH + 4L + m.payload().length;
        for (FileReference f : m.files()) {
            byte[] n = f.name().getBytes(StandardCharsets.UTF_8);
            names.add(n);
            length += FILE_ENTRY_FIXED + n.length;
        }
        for (InlineStream s : m.inline()) {
            byte[] n = s.name().getBytes(StandardCharsets.UTF_8);
            names.add(n);
            length += INLINE_ENTRY_FIXED + n.length + (long) s.length();
        }
        if (length > MAX_LENGTH) {
            throw new IllegalArgumentException(
                    "checkpoint metadata too large: length=" + length + ", limit=" + MAX_LENGTH);
        }
        ByteBuffer b = ByteBuffer.allocate((int) length).order(ByteOrder.BIG_ENDIAN);
        b.put(MAGIC)
                .putShort((short) FORMAT_VERSION)
                .putShort((short) (m.savepoint() ? FLAG_SAVEPOINT : 0))
                .putInt((int) length)
                .putLong(m.checkpointId())
                .putLong(m.timestampMillis())
                .putInt(m.files().size());
        for (int i = 0; i < m.files().size(); i++) {
            FileReference f = m.files().get(i);
            byte[] n = names.get(i);
            b.put((byte) f.scope().code())
                    .putShort((short) n.length)
                    .put(n)
                    .putLong(f.length())
                    .putInt(f.crc32c());
        }
        b.putInt(m.inline().size());
        for (int i = 0; i < m.inline().size(); i++) {
            InlineStream s = m.inline().get(i);
            byte[] n = names.get(m.files().size() + i);
            b.putShort((short) n.length).put(n).putInt(s.length()).put(s.bytes());
        }
        b.putInt(m.payload().length).put(m.payload());
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        return b.array();
    }

    /**
     * Verifies and decodes {@code bytes}, read from {@code file}.
     *
     * @param expectedCheckpointId the id the directory name promises, or {@code -1} to accept any
     */
    public static CheckpointMetadata decode(byte[] bytes, String file, long expectedCheckpointId) {
        Cursor c = new Cursor(bytes, file);
        if (bytes.length < MIN_LENGTH) {
            throw c.corrupt("metadata truncated", bytes.length, ">= " + MIN_LENGTH + " bytes", bytes.length + " bytes");
        }
        byte[] magic = Arrays.copyOf(bytes, MAGIC.length);
        if (!Arrays.equals(magic, MAGIC)) {
            throw c.corrupt("bad metadata magic", 0, new String(MAGIC, StandardCharsets.US_ASCII), hexOf(magic));
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
        int version = b.getShort(VERSION_OFFSET) & 0xFFFF;
        if (version < 1 || version > FORMAT_VERSION) {
            throw c.corrupt("unsupported metadata format version", VERSION_OFFSET, "1.." + FORMAT_VERSION, version);
        }
        int length = b.getInt(LENGTH_OFFSET);
        if (length != bytes.length) {
            throw c.corrupt(
                    "metadata length differs from file length (truncated or trailing junk)",
                    LENGTH_OFFSET,
                    bytes.length,
                    length);
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, length - 4);
        int stored = b.getInt(length - 4);
        if (stored != (int) crc.getValue()) {
            throw c.corrupt("metadata checksum mismatch", 0, DataFileReader.hex(stored), DataFileReader.hex((int)
                    crc.getValue()));
        }
        int flags = b.getShort(FLAGS_OFFSET) & 0xFFFF;
        if ((flags & ~FLAG_SAVEPOINT) != 0) {
            throw c.corrupt("unsupported metadata flags", FLAGS_OFFSET, "0 or 1", flags);
        }
        long id = b.getLong(CHECKPOINT_ID_OFFSET);
        if (id < 0 || expectedCheckpointId >= 0 && id != expectedCheckpointId) {
            throw c.corrupt(
                    "metadata belongs to another checkpoint",
                    CHECKPOINT_ID_OFFSET,
                    expectedCheckpointId >= 0 ? expectedCheckpointId : ">= 0",
                    id);
        }
        boolean savepoint = (flags & FLAG_SAVEPOINT) != 0;
        return parseBody(c, b, id, savepoint, length, version);
    }

    private static CheckpointMetadata parseBody(
            Cursor c, ByteBuffer b, long id, boolean savepoint, int length, int version) {
        long timestamp = b.getLong(TIMESTAMP_OFFSET);
        int count = b.getInt(FILE_COUNT_OFFSET);
        if (count < 0 || (long) count * FILE_ENTRY_FIXED > length) {
            throw c.corrupt(
                    "metadata file count out of range", FILE_COUNT_OFFSET, "<= " + length / FILE_ENTRY_FIXED, count);
        }
        c.pos = FILES_OFFSET;
        int end = length - 4;
        List<FileReference> files = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int entryAt = c.pos;
            c.need(FILE_ENTRY_FIXED, end);
            FileReference.Scope scope = FileReference.Scope.ofCode(bytes(c)[c.pos] & 0xFF);
            if (scope == null || savepoint && scope != FileReference.Scope.EXCLUSIVE) {
                throw c.corrupt(
                        "invalid file scope in metadata",
                        entryAt,
                        savepoint ? "0" : "0 or 1",
                        bytes(c)[entryAt] & 0xFF);
            }
            int nameLength = b.getShort(entryAt + 1) & 0xFFFF;
            c.pos = entryAt + 3;
            c.need(nameLength + 12, end);
            String name = utf8(c, c.pos, nameLength);
            if (!FileReference.isValidName(name)) {
                throw c.corrupt("invalid file name in metadata", entryAt + 3, "a plain file name", name);
            }
            c.pos += nameLength;
            long fileLength = b.getLong(c.pos);
            if (fileLength < 0) {
                throw c.corrupt("negative file length in metadata", c.pos, ">= 0", fileLength);
            }
            int fileCrc = b.getInt(c.pos + 8);
            c.pos += 12;
            files.add(new FileReference(name, scope, fileLength, fileCrc));
        }
        List<InlineStream> inline = version >= INLINE_VERSION ? parseInline(c, b, end) : List.of();
        c.need(4, end);
        int payloadLength = b.getInt(c.pos);
        if (payloadLength < 0 || payloadLength != end - c.pos - 4) {
            throw c.corrupt("metadata payload length inconsistent", c.pos, end - c.pos - 4, payloadLength);
        }
        byte[] payload = Arrays.copyOfRange(bytes(c), c.pos + 4, end);
        return new CheckpointMetadata(id, timestamp, savepoint, files, payload, inline);
    }

    private static List<InlineStream> parseInline(Cursor c, ByteBuffer b, int end) {
        c.need(4, end);
        int countAt = c.pos;
        int count = b.getInt(countAt);
        if (count < 0 || (long) count * INLINE_ENTRY_FIXED > end - countAt - 4) {
            throw c.corrupt(
                    "metadata inline stream count out of range",
                    countAt,
                    "<= " + (end - countAt - 4) / INLINE_ENTRY_FIXED,
                    count);
        }
        c.pos += 4;
        List<InlineStream> inline = new ArrayList<>(count);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < count; i++) {
            int entryAt = c.pos;
            c.need(INLINE_ENTRY_FIXED, end);
            int nameLength = b.getShort(entryAt) & 0xFFFF;
            c.pos = entryAt + 2;
            c.need(nameLength + 4, end);
            String name = utf8(c, c.pos, nameLength);
            if (!FileReference.isValidName(name) || !names.add(name)) {
                throw c.corrupt(
                        "invalid or repeated inline stream name in metadata", entryAt + 2, "a unique plain name", name);
            }
            c.pos += nameLength;
            int streamLength = b.getInt(c.pos);
            if (streamLength < 0) {
                throw c.corrupt("negative inline stream length in metadata", c.pos, ">= 0", streamLength);
            }
            c.pos += 4;
            c.need(streamLength, end);
            inline.add(new InlineStream(name, Arrays.copyOfRange(c.bytes, c.pos, c.pos + streamLength)));
            c.pos += streamLength;
        }
        return inline;
    }

    private static byte[] bytes(Cursor c) {
        return c.bytes;
    }

    private static String utf8(Cursor c, int at, int length) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(c.bytes, at, length))
                    .toString();
        } catch (CharacterCodingException e) {
            throw c.corrupt("file name in metadata is not UTF-8", at, "UTF-8", e.toString());
        }
    }

    private static String hexOf(byte[] bytes) {
        StringBuilder sb = new StringBuilder("0x");
        for (byte x : bytes) {
            sb.append(String.format("%02x", x & 0xFF));
        }
        return sb.toString();
    }

    /** Bounds-checked position over the bytes being decoded. */
    private static final class Cursor {
        final byte[] bytes;
        final String file;
        int pos;

        Cursor(byte[] bytes, String file) {
            this.bytes = bytes;
            this.file = file;
        }

        void need(int n, int end) {
            if (n < 0 || (long) pos + n > end) {
                throw corrupt("metadata entry runs past the end", pos, "<= " + (end - pos) + " bytes", n + " bytes");
            }
        }

        CorruptCheckpointException corrupt(String what, long offset, Object expected, Object actual) {
            return new CorruptCheckpointException(what, file, offset, expected, actual);
        }
    }
}
