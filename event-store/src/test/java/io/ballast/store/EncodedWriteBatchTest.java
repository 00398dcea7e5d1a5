package io.ballast.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.WriteBatch;

/**
 * The batch the store encodes in Java is byte for byte the batch RocksJava builds put by put, in the default family
 * and in others, for keys and values whose lengths take one, two and three varint bytes; and RocksDB writes it.
 */
class EncodedWriteBatchTest {
    @TempDir
    Path dir;

    @Test
    void itIsTheBatchRocksJavaBuildsAndRocksDbWritesIt() throws Exception {
        try (StoreFiles files = new StoreFiles(dir, StoreSettings.DEFAULTS)) {
            List<String> families = List.of(StoreFiles.DEFAULT, "log", "event_ids", "tree_heads", "merkle", "log");
            List<byte[]> keys = List.of(bytes(0), bytes(1), bytes(127), bytes(128), bytes(300), bytes(20_000));
            List<byte[]> values = List.of(bytes(20_000), bytes(0), bytes(128), bytes(127), bytes(1), "v".getBytes(StandardCharsets.UTF_8));
            EncodedWriteBatch encoded = new EncodedWriteBatch(0);
            try (WriteBatch rocksJava = new WriteBatch()) {
                for (int i = 0; i < families.size(); i++) {
                    rocksJava.put(files.family(families.get(i)), keys.get(i), values.get(i));
                    encoded.put(files.family(families.get(i)).getID(), keys.get(i), values.get(i));
                }
                assertArrayEquals(rocksJava.data(), encoded.data());
                assertEquals(rocksJava.count(), encoded.count());
            }
            try (WriteBatch batch = encoded.toWriteBatch()) {
                files.write(batch);
            }
            for (int i = 0; i < families.size(); i++) {
                assertArrayEquals(values.get(i), files.get(families.get(i), keys.get(i)), families.get(i));
            }
        }
    }

    /** {@code n} bytes, none alike to its neighbours, so a misplaced copy shows. */
    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + n);
        }
        return b;
    }
}
