package io.tidemark.function;

import java.util.Objects;

/**
 * Names a side output of an operator: records a function sends with {@code ctx.output(tag, value)} go to the
 * consumers of that side output ({@code DataStream.sideOutput(tag)} in the pipeline API), not to the main output.
 * Two tags are the same side output when their ids are equal. Immutable.
 *
 * @param <T> the type of the side output's records
 */
public final class OutputTag<T> {
    private final String id;

    /**
     * @throws IllegalArgumentException if {@code id} is null or empty
     */
    public OutputTag(String id) {
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException("output tag id missing: id=" + id);
        }
        this.id = id;
    }

    public String id() {
        return id;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutputTag<?> other && id.equals(other.id);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(id);
    }

    @Override
    public String toString() {
        return "OutputTag{" + id + "}";
    }
}
