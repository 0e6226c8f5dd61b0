package io.tidemark.checkpoint.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.ConfigurationException;
import io.tidemark.CorruptCheckpointException;
import io.tidemark.backend.snapshot.KeyedStateHandle;
import io.tidemark.backend.snapshot.OperatorStateHandle;
import io.tidemark.backend.snapshot.StreamHandle;
import io.tidemark.checkpoint.coordinator.CheckpointPayload;
import io.tidemark.checkpoint.coordinator.TaskSnapshot;
import io.tidemark.keygroup.KeyGroupRange;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The subtask-state codec round-trips, and any mutation or truncation fails only with the corruption error. */
class SubtaskStateCodecProperties {
    static SubtaskState sample(String operator, int index, int parallelism) {
        KeyedStateHandle keyed = new KeyedStateHandle(
                "canonical",
                KeyGroupRange.of(index * 4, index * 4 + 3),
                List.of(new StreamHandle("s-keyed-" + index + ".1", 1234, false)),
                new byte[] {1, 2, 3});
        OperatorStateHandle op = new OperatorStateHandle(new StreamHandle("s-op-" + index + ".2", 99, false));
        return new SubtaskState(
                operator,
                index,
                parallelism,
                parallelism * 4,
                List.of(keyed),
                List.of(op),
                List.of(new StateDescription("value", StateDescription.KEYED, "VALUE", "key=long, value=string")));
    }

    @Example
    void roundTripsThroughThePayload() {
        List<SubtaskState> states = List.of(sample("a", 1, 2), sample("a", 0, 2), sample("b", 0, 1));
        JobSnapshot job = JobSnapshot.of(9, false, states);
        List<TaskSnapshot> tasks = CheckpointPayload.decode(job.toPayload(), "_metadata");
        JobSnapshot back = JobSnapshot.fromTasks(9, false, tasks, "_metadata");
        assertThat(back.operators()).extracting(OperatorSnapshot::operatorId).containsExactly("a", "b");
        SubtaskState decoded = back.operator("a").subtasks().get(1);
        assertThat(decoded.keyedHandles()).isEqualTo(sample("a", 1, 2).keyedHandles());
        assertThat(decoded.operatorHandles()).isEqualTo(sample("a", 1, 2).operatorHandles());
        assertThat(decoded.states()).isEqualTo(sample("a", 1, 2).states());
    }

    @Example
    void incompleteOperatorsAreRefused() {
        assertThatThrownBy(() -> JobSnapshot.of(1, false, List.of(sample("a", 1, 2))))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("operator=a");
        List<TaskSnapshot> tasks =
                List.of(sample("a", 0, 2).toTaskSnapshot(0), sample("a", 0, 2).toTaskSnapshot(1));
        assertThatThrownBy(() -> JobSnapshot.fromTasks(1, false, tasks, "chk-1/_metadata"))
                .isInstanceOf(CorruptCheckpointException.class)
                .hasMessageContaining("missing or duplicated");
    }

    @Property(tries = 300)
    void anyMutationFailsOnlyWithTheCorruptionError(@ForAll("mutations") int[] mutation) {
        byte[] bytes = SubtaskStateCodec.encode(sample("op", 1, 3));
        byte[] damaged;
        if (mutation[0] == 0) {
            damaged = java.util.Arrays.copyOf(bytes, mutation[1] % bytes.length);
        } else {
            damaged = bytes.clone();
            damaged[mutation[1] % bytes.length] ^= (byte) (1 + mutation[2] % 255);
        }
        try {
            SubtaskState s = SubtaskStateCodec.decode(damaged, "_metadata");
            assertThat(s).isNotNull(); // a flip inside a name or length field may still decode to a valid record
        } catch (CorruptCheckpointException e) {
            assertThat(e.file()).isEqualTo("_metadata");
        }
    }

    @Provide
    Arbitrary<int[]> mutations() {
        return Arbitraries.integers()
                .between(0, 1_000_000)
                .array(int[].class)
                .ofSize(3)
                .map(a -> {
                    List<Integer> l = new ArrayList<>();
                    for (int x : a) {
                        l.add(x);
                    }
                    return new int[] {l.get(0) % 2, l.get(1), l.get(2)};
                });
    }
}
