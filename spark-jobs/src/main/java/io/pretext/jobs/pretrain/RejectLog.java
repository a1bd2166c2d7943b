package io.pretext.jobs.pretrain;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pretext.jobs.storage.RunDirectory;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** {@code RUN_DIR/rejected.jsonl}: the first rejected inputs, one JSON object per line (id, reason, detail). */
public final class RejectLog {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One rejected input. */
    public record Entry(String id, String reason, String detail) {
    }

    private RejectLog() {
    }

    public static void write(RunDirectory run, List<Entry> entries) {
        run.writeAtomically(RunDirectory.REJECTED, out -> {
            for (Entry e : entries) {
                ObjectNode n = JSON.createObjectNode();
                n.put("id", e.id());
                n.put("reason", e.reason());
                n.put("detail", e.detail());
                out.write((JSON.writeValueAsString(n) + "\n").getBytes(StandardCharsets.UTF_8));
            }
        });
    }
}
