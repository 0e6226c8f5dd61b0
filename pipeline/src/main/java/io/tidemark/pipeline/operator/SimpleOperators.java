package io.tidemark.pipeline.operator;

import io.tidemark.function.Collector;
import io.tidemark.pipeline.function.FilterFunction;
import io.tidemark.pipeline.function.FlatMapFunction;
import io.tidemark.pipeline.function.MapFunction;

/** Stateless one-input operators: map, filter, flatMap. */
public final class SimpleOperators {
    private SimpleOperators() {}

    public static <IN, OUT> StreamOperator map(MapFunction<? super IN, ? extends OUT> fn) {
        return new Base() {
            @Override
            @SuppressWarnings("unchecked")
            public void processRecord(Object record, long timestamp) throws Exception {
                output.collect(fn.map((IN) record));
            }
        };
    }

    public static <T> StreamOperator filter(FilterFunction<? super T> fn) {
        return new Base() {
            @Override
            @SuppressWarnings("unchecked")
            public void processRecord(Object record, long timestamp) throws Exception {
                if (fn.filter((T) record)) {
                    output.collect(record);
                }
            }
        };
    }

    @SuppressWarnings("unchecked")
    public static <IN, OUT> StreamOperator flatMap(FlatMapFunction<? super IN, OUT> fn) {
        return new Base() {
            @Override
            public void processRecord(Object record, long timestamp) throws Exception {
                fn.flatMap((IN) record, (Collector<OUT>) (Object) output);
            }
        };
    }

    /** Passes every record of every input on, with its timestamp: the operator of a union. */
    public static StreamOperator union() {
        return new Base() {
            @Override
            public void processRecord(Object record, long timestamp) {
                output.emit(record, timestamp);
            }
        };
    }

    private abstract static class Base implements StreamOperator {
        protected RecordOutput output;

        @Override
        public void setup(OperatorContext context) {
            this.output = context.output();
        }
    }
}
