package io.tidemark.pipeline;

import io.tidemark.pipeline.operator.PlanNode;
import io.tidemark.state.MapStateDescriptor;
import java.util.List;

/**
 * A stream whose every record goes to every instance of the operator it is connected to ({@link
 * DataStream#broadcast}), together with the broadcast states that operator keeps: connect a stream or a keyed stream
 * to it ({@link DataStream#connect(BroadcastStream)}, {@link KeyedStream#connect(BroadcastStream)}) and process the
 * pair with a broadcast process function. Immutable.
 *
 * @param <T> the record type
 */
public final class BroadcastStream<T> {
    private final Pipeline pipeline;
    private final PlanNode.Input input;
    private final List<MapStateDescriptor<?, ?>> descriptors;

    BroadcastStream(Pipeline pipeline, PlanNode.Input input, List<MapStateDescriptor<?, ?>> descriptors) {
        this.pipeline = pipeline;
        this.input = input;
        this.descriptors = List.copyOf(descriptors);
    }

    /** The broadcast states the connected operator keeps, in declaration order. */
    public List<MapStateDescriptor<?, ?>> stateDescriptors() {
        return descriptors;
    }

    Pipeline pipeline() {
        return pipeline;
    }

    /** The broadcast input of a connected operator. */
    PlanNode.Input input() {
        return input;
    }
}
