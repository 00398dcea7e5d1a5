package io.ballast.store;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Stored records as a byte stream: each one as the store holds it (its position, then the CRC32C-checked record whose
 * body is also its Merkle leaf), and an end mark with the count sent. A reader decodes and checks every record, and
 * tells a stream that was cut (no end mark, or a count that disagrees) from one that ended: an audit must not take a
 * broken connection for the end of history.
 *
 * <p>Frames: {@code long position, int length, length bytes}; the end: {@code long -1, long count}.
 */
public final class RecordStream {
    /** The media type of the stream over HTTP. */
    public static final String MEDIA_TYPE = "application/x-ballast-records";
    private static final int MAX_RECORD_BYTES = 32 * 1024 * 1024;

    private RecordStream() {
    }

    /** Takes one stored value and its position. */
    @FunctionalInterface
    interface Sink {
        void accept(long position, byte[] value) throws IOException;
    }

    /** Writes frames to an output stream, buffered; {@link #end} flushes. */
    public static final class Writer {
        private final DataOutputStream out;

        public Writer(OutputStream out) {
            this.out = new DataOutputStream(new BufferedOutputStream(out, 1 << 16));
        }

        void write(long position, byte[] value) throws IOException {
            out.writeLong(position);
            out.writeInt(value.length);
            out.write(value);
        }

        void end(long count) throws IOException {
            out.writeLong(-1);
            out.writeLong(count);
            out.flush();
        }
    }

    /** Reads and checks the records of a stream, one at a time. Not thread-safe. */
    public static final class Reader implements AutoCloseable {
        private final DataInputStream in;
        private long read;
        private boolean ended;

        public Reader(InputStream in) {
            this.in = new DataInputStream(new BufferedInputStream(in, 1 << 16));
        }

        /**
         * The next record, or null at the end mark.
         *
         * @throws CorruptRecordException a record whose checksum fails or that is not the record of its position
         * @throws IOException            the stream was cut, or its end mark disagrees with what was read
         */
        public StoredEvent next() throws IOException {
            if (ended) {
                return null;
            }
            try {
                long position = in.readLong();
                if (position == -1) {
                    long count = in.readLong();
                    if (count != read) {
                        throw new IOException("the stream says it sent " + count + " records, " + read + " were read");
                    }
                    ended = true;
                    return null;
                }
                int length = in.readInt();
                if (length < 0 || length > MAX_RECORD_BYTES) {
                    throw new IOException("a record of " + length + " bytes at position " + position + ": not a record stream");
                }
                byte[] value = new byte[length];
                in.readFully(value);
                read++;
                return RecordCodec.decode(position, value);
            } catch (EOFException e) {
                throw new IOException("the record stream was cut after " + read + " records (no end mark)", e);
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
