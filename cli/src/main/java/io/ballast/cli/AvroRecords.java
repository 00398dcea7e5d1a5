package io.ballast.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/** Converts between generic records (what JSON maps to) and the generated event classes, through Avro binary. */
final class AvroRecords {
    private AvroRecords() {
    }

    static <T extends SpecificRecord> T specific(GenericRecord record, Class<T> type) {
        Schema schema = record.getSchema();
        byte[] bytes = write(new GenericDatumWriter<>(schema), record);
        try {
            return new SpecificDatumReader<T>(schema, schema).read(null, DecoderFactory.get().binaryDecoder(bytes, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An archived event's data (JSON, as the store serves it) as the generated class. */
    static <T extends SpecificRecord> T fromJson(com.fasterxml.jackson.databind.JsonNode data, Class<T> type) {
        Schema schema = org.apache.avro.specific.SpecificData.get().getSchema(type);
        return specific(io.ballast.json.JsonToAvro.read((com.fasterxml.jackson.databind.node.ObjectNode) data, schema), type);
    }

    static GenericRecord generic(SpecificRecord record) {
        Schema schema = record.getSchema();
        byte[] bytes = write(new SpecificDatumWriter<>(schema), record);
        try {
            return new GenericDatumReader<GenericRecord>(schema).read(null, DecoderFactory.get().binaryDecoder(bytes, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static <T> byte[] write(org.apache.avro.io.DatumWriter<T> writer, T record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
