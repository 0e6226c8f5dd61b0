/**
 * Queryable state on the operator side: {@code QueryTarget}, the inbox of point queries an operator instance answers
 * on its own thread in the backend's read-only access; {@code ChangeTracker} for the shared-memory view;
 * {@code StateValues}, which turns a value into a detached JSON tree; the one JSON mapper ({@code QueryJson}) and
 * {@code QueryJsonExtension}, through which a job adjusts how its value types are published without generic code
 * importing it.
 *
 * <p>May import core and Jackson; no other pipeline package.
 */
package io.tidemark.pipeline.queryable;
