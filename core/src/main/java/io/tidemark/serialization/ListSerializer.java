package io.tidemark.serialization;

import java.util.ArrayList;
import java.util.List;
import java.util.RandomAccess;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Serializes a {@code List<T>} as an element count followed by the elements, each framed as {@link Framing} says
 * (bare when the element serializer has a fixed length, length-prefixed otherwise). Elements must not be null.
 *
 * <pre>
 * | count: int32 LE | element 0 | element 1 | ... |
 * element = value (fixed length) or | length: int32 LE | value |
 * </pre>
 *
 * <p>{@link #read} returns a new mutable {@link ArrayList}; {@link #copy} deep-copies through the element serializer.
 * Thread-safe when the element serializer is stateless. {@link #write} of a {@link RandomAccess} list allocates nothing
 * itself; other lists are walked with an iterator.
 *
 * @param <T> the element type
 */
public final class ListSerializer<T> implements StateSerializer<List<T>> {
    private final StateSerializer<T> elementSerializer;

    public ListSerializer(StateSerializer<T> elementSerializer) {
        this.elementSerializer = elementSerializer;
    }

    public StateSerializer<T> elementSerializer() {
        return elementSerializer;
    }

    @Override
    public int fixedLength() {
        return VARIABLE_LENGTH;
    }

    @Override
    public int write(List<T> value, MutableDirectBuffer buffer, int offset) {
        int size = value.size();
        int position = Framing.writeCount(size, buffer, offset);
        if (value instanceof RandomAccess) {
            for (int i = 0; i < size; i++) {
                position = writeElement(value.get(i), i, buffer, position);
            }
        } else {
            int i = 0;
            for (T element : value) {
                position = writeElement(element, i++, buffer, position);
            }
        }
        return position - offset;
    }

    private int writeElement(T element, int index, MutableDirectBuffer buffer, int position) {
        if (element == null) {
            throw new NullPointerException("list elements must not be null: index=" + index);
        }
        return Framing.writeElement(elementSerializer, element, buffer, position);
    }

    @Override
    public List<T> read(DirectBuffer buffer, int offset, int length) {
        ReadCursor cursor = new ReadCursor("list", buffer, offset, length);
        int count = cursor.readCount(Framing.minFramedLength(elementSerializer));
        List<T> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            list.add(cursor.readElement(elementSerializer));
        }
        cursor.checkFullyConsumed();
        return list;
    }

    @Override
    public List<T> copy(List<T> value) {
        List<T> copy = new ArrayList<>(value.size());
        for (T element : value) {
            copy.add(elementSerializer.copy(element));
        }
        return copy;
    }

    @Override
    public SerializerSnapshot<List<T>> snapshot() {
        return new ListSnapshot<>(elementSerializer.snapshot());
    }

    @Override
    public boolean isStateless() {
        return elementSerializer.isStateless();
    }

    @Override
    public StateSerializer<List<T>> duplicate() {
        return isStateless() ? this : new ListSerializer<>(elementSerializer.duplicate());
    }

    @Override
    public String toString() {
        return "ListSerializer[" + elementSerializer + "]";
    }
}
