package io.ballast.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The Merkle log against the RFC 6962 test vectors published in the certificate-transparency code
 * (transparency-dev/merkle, testonly/constants.go: eight leaves, the root at every size, inclusion and
 * consistency proofs), then every proof of every tree up to 70 leaves, and corrupted proofs refused.
 */
class MerkleLogTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final List<String> LEAVES = List.of("", "00", "10", "2021", "3031", "40414243", "5051525354555657",
            "606162636465666768696a6b6c6d6e6f");
    private static final List<String> ROOTS = List.of(
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

    /** In-memory nodes, as the store keeps them in a column family. */
    static final class MapNodes implements MerkleNodes {
        final Map<String, byte[]> nodes = new HashMap<>();

        @Override
        public byte[] get(int level, long index) {
            return nodes.get(level + "/" + index);
        }

        @Override
        public void put(int level, long index, byte[] hash) {
            nodes.put(level + "/" + index, hash);
        }
    }

    private static MerkleLog reference() {
        MerkleLog log = new MerkleLog(new MapNodes(), 0);
        LEAVES.forEach(l -> log.append(MerkleHash.leaf(HEX.parseHex(l))));
        return log;
    }

    private static List<String> hex(List<byte[]> hashes) {
        return hashes.stream().map(HEX::formatHex).toList();
    }

    private static List<byte[]> bytes(String... hashes) {
        List<byte[]> out = new ArrayList<>();
        for (String h : hashes) {
            out.add(HEX.parseHex(h));
        }
        return out;
    }

    @Test
    void rootsMatchTheReferenceAtEverySize() {
        MerkleLog log = reference();
        for (int n = 0; n <= 8; n++) {
            assertEquals(ROOTS.get(n), HEX.formatHex(log.root(n)), "size " + n);
        }
    }

    @Test
    void inclusionProofsMatchTheReference() {
        MerkleLog log = reference();
        assertEquals(List.of(), log.inclusionProof(0, 1));
        assertEquals(List.of("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"), hex(log.inclusionProof(0, 8)));
        assertEquals(List.of("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"), hex(log.inclusionProof(5, 8)));
        assertEquals(List.of("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"), hex(log.inclusionProof(2, 3)));
        assertEquals(List.of("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"), hex(log.inclusionProof(1, 5)));
    }

    @Test
    void consistencyProofsMatchTheReference() {
        MerkleLog log = reference();
        assertEquals(List.of(), log.consistencyProof(1, 1));
        assertEquals(List.of("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"), hex(log.consistencyProof(1, 8)));
        assertEquals(List.of("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"), hex(log.consistencyProof(6, 8)));
        assertEquals(List.of("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"), hex(log.consistencyProof(2, 5)));
    }

    @Test
    void theReferenceProofsVerifyAndTheirCorruptionsDoNot() {
        byte[] leaf5 = MerkleHash.leaf(HEX.parseHex(LEAVES.get(5)));
        List<byte[]> proof = bytes("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
        byte[] root8 = HEX.parseHex(ROOTS.get(8));
        assertTrue(ProofVerifier.verifyInclusion(leaf5, 5, 8, proof, root8));
        assertFalse(ProofVerifier.verifyInclusion(leaf5, 4, 8, proof, root8), "wrong index");
        assertFalse(ProofVerifier.verifyInclusion(leaf5, 5, 16, proof, root8), "wrong size");
        assertFalse(ProofVerifier.verifyInclusion(MerkleHash.leaf(new byte[] {1}), 5, 8, proof, root8), "wrong leaf");
        assertFalse(ProofVerifier.verifyInclusion(leaf5, 5, 8, proof, HEX.parseHex(ROOTS.get(7))), "wrong root");
        assertFalse(ProofVerifier.verifyInclusion(leaf5, 5, 8, proof.subList(0, 2), root8), "removed component");
        List<byte[]> longer = new ArrayList<>(proof);
        longer.add(root8);
        assertFalse(ProofVerifier.verifyInclusion(leaf5, 5, 8, longer, root8), "trailing root");
        List<byte[]> flipped = new ArrayList<>(proof);
        flipped.set(1, flipped.get(1).clone());
        flipped.get(1)[0] ^= 8;
        assertFalse(ProofVerifier.verifyInclusion(leaf5, 5, 8, flipped, root8), "a flipped bit");

        List<byte[]> consistency = bytes("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
        byte[] root6 = HEX.parseHex(ROOTS.get(6));
        assertTrue(ProofVerifier.verifyConsistency(6, 8, root6, root8, consistency));
        assertFalse(ProofVerifier.verifyConsistency(6, 8, root8, root6, consistency), "swapped roots");
        assertFalse(ProofVerifier.verifyConsistency(5, 8, root6, root8, consistency), "wrong first size");
        assertFalse(ProofVerifier.verifyConsistency(6, 8, root6, root8, List.of()), "empty proof");
        assertFalse(ProofVerifier.verifyConsistency(6, 8, root6, root8, consistency.subList(0, 2)), "truncated");
    }

    @Test
    void everyProofOfEveryTreeUpTo70LeavesVerifies() {
        MerkleLog log = new MerkleLog(new MapNodes(), 0);
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            leaves.add(MerkleHash.leaf(new byte[] {(byte) i, (byte) (i * 7)}));
            log.append(leaves.get(i));
        }
        for (int n = 1; n <= 70; n++) {
            byte[] root = log.root(n);
            assertArrayEquals(naiveRoot(leaves.subList(0, n)), root, "root of " + n);
            for (int i = 0; i < n; i++) {
                assertTrue(ProofVerifier.verifyInclusion(leaves.get(i), i, n, log.inclusionProof(i, n), root), i + " in " + n);
                if (n > 1) {
                    assertFalse(ProofVerifier.verifyInclusion(leaves.get(i), (i + 1) % n, n, log.inclusionProof(i, n), root));
                }
            }
            for (int m = 0; m <= n; m++) {
                assertTrue(ProofVerifier.verifyConsistency(m, n, log.root(m), root, log.consistencyProof(m, n)), m + " to " + n);
            }
        }
    }

    /** MTH by the RFC's definition, leaf by leaf, with no stored nodes. */
    private static byte[] naiveRoot(List<byte[]> leaves) {
        if (leaves.size() == 1) {
            return leaves.get(0);
        }
        int k = Integer.highestOneBit(leaves.size() - 1);
        return MerkleHash.node(naiveRoot(leaves.subList(0, k)), naiveRoot(leaves.subList(k, leaves.size())));
    }
}
