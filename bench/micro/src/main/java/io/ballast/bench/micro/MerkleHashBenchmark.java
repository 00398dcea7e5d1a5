package io.ballast.bench.micro;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import io.ballast.audit.MerkleHash;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The store's Merkle hashing (RFC 6962: a leaf is SHA-256 of 0x00 and the record, a node of 0x01 and its two children)
 * beside the raw engine, a bare {@code MessageDigest} SHA-256 of the same bytes: the difference is what the store's
 * framing of a hash costs.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MerkleHashBenchmark {
    /** An archived metric sample is ~150 bytes in the wire format; a decision with its explanation ~1 KB. */
    @Param({"150", "1024"})
    int recordBytes;

    private byte[] record;
    private byte[] left;
    private byte[] right;
    private MessageDigest sha256;

    @Setup
    public void setUp() throws NoSuchAlgorithmException {
        Random random = new Random(1);
        record = new byte[recordBytes];
        random.nextBytes(record);
        left = MerkleHash.leaf(record);
        right = MerkleHash.leaf(left);
        sha256 = MessageDigest.getInstance("SHA-256");
    }

    @Benchmark
    public byte[] leaf() {
        return MerkleHash.leaf(record);
    }

    @Benchmark
    public byte[] node() {
        return MerkleHash.node(left, right);
    }

    /** The reference: SHA-256 of the record alone, with a digest made once. */
    @Benchmark
    public byte[] rawSha256OfTheRecord() {
        return sha256.digest(record);
    }
}
