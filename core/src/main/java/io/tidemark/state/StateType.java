package io.tidemark.state;

/** The shape of a state; persisted with every snapshot so that a restore can refuse a changed shape. */
public enum StateType {
    VALUE,
    LIST,
    MAP,
    REDUCING,
    AGGREGATING,
    LONG_VALUE,
    DOUBLE_VALUE
}
