package io.tidemark.backend;

/** The single namespace of states that do not use namespaces. */
public final class VoidNamespace {
    public static final VoidNamespace INSTANCE = new VoidNamespace();

    private VoidNamespace() {}

    @Override
    public String toString() {
        return "VoidNamespace";
    }
}
