package io.ballast.rederive;

/**
 * The store's signed tree head an audit read its inputs below: every input's position is under {@code size}, so an
 * inclusion proof against it shows the input is in the tamper-evident log.
 *
 * @param root       the root hash, hex
 * @param checkpoint the head as a C2SP signed note; null when the store gave none
 */
public record SignedTreeHead(long size, String root, String checkpoint) implements java.io.Serializable {
}
