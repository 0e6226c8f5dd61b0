package io.tidemark.backend.internal;

/** A {@link ValueCell} straight over a backend value state. */
final class PlainValueCell<N, T> implements ValueCell<N, T> {
    private final InternalValueState<N, T> state;

    PlainValueCell(InternalValueState<N, T> state) {
        this.state = state;
    }

    @Override
    public T get() {
        return state.value();
    }

    @Override
    public T getForMutation() {
        return state.valueForMutation();
    }

    @Override
    public void put(T value) {
        state.update(value);
    }

    @Override
    public void clear() {
        state.clear();
    }

    @Override
    public void setCurrentNamespace(N namespace) {
        state.setCurrentNamespace(namespace);
    }
}
