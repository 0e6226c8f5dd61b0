package io.tidemark.backend.operator;

/**
 * The operator-state stream format (big-endian, {@link java.io.DataOutputStream}):
 *
 * <pre>
 * magic i32 "TMOS" | version i32 | stateCount i32 | state x stateCount
 * state: name utf | mode u8 (0 split, 1 union, 2 broadcast) | serializer snapshot(s) | count i32 | element x count
 *   list element:      length i32 | bytes
 *   broadcast element: keyLength i32 | key | valueLength i32 | value
 * </pre>
 *
 * List states store the element serializer's snapshot; broadcast states the key's then the value's.
 */
public final class OperatorStateFormat {
    public static final int MAGIC = 0x544d4f53;
    public static final int VERSION = 1;
    public static final int MAX_ELEMENTS = 1 << 26;
    public static final int MAX_ELEMENT_LENGTH = 1 << 30;

    private OperatorStateFormat() {}
}
