package io.tidemark.state;

/** A primitive {@code double} per key and namespace; same allocation rules as {@link LongValueState}. */
public interface DoubleValueState extends State {
    double get();

    void set(double value);

    /** Adds {@code delta} to the value (absent counts as the default) and returns the new value. */
    double add(double delta);

    boolean isPresent();
}
