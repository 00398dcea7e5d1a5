package io.ballast.catalog;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/** What a topic's record values are. */
public sealed interface ValueFormat {

    /** Avro in the Confluent wire format, registered under the subject {@code <topic>-value}. */
    record Avro(Class<? extends SpecificRecord> type) implements ValueFormat {
        /** The schema the values are written with. */
        public Schema schema() {
            return SpecificData.get().getSchema(type);
        }
    }

    /** Bytes kept as they came, such as a dead letter's original value. */
    record Raw(String description) implements ValueFormat {
    }
}
