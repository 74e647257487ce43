package io.facerec.forwarder.sampling;

import java.util.Optional;

/**
 * Reads a JPEG's headers and walks its entropy-coded data without building an image. The walk
 * finds damage that a decoder passes over in silence: a Huffman code no table has, a run past the
 * 64 coefficients of a block, a coefficient no 8-bit image can produce, a restart marker out of
 * sequence, a scan that ends early or leaves bytes over. Damaged data usually desynchronises the
 * Huffman decoding and trips one of these; a flip of a byte or two can resynchronise unnoticed.
 * Baseline and extended Huffman frames are walked (what cameras send); other kinds are left to the
 * decoder.
 */
public final class JpegCheck {
    private JpegCheck() {
    }

    /** Width and height from the frame header. */
    public record Size(int width, int height) {
        public long pixels() {
            return (long) width * height;
        }
    }

    /** The frame header's dimensions, or empty when the headers end before one. */
    public static Optional<Size> size(byte[] b) {
        int i = 2;
        while (i + 4 <= b.length && (b[i] & 0xff) == 0xFF) {
            int m = b[i + 1] & 0xff;
            if (m == 0xFF) {
                i++;
                continue;
            }
            if (isFrameHeader(m) && i + 9 <= b.length) {
                return Optional.of(new Size(u16(b, i + 7), u16(b, i + 5)));
            }
            if (m == 0xDA || m == 0xD9) {
                return Optional.empty();
            }
            i += 2 + u16(b, i + 2);
        }
        return Optional.empty();
    }

    private static boolean isFrameHeader(int m) {
        return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
    }

    /** What is wrong with the entropy-coded data, or empty when the walk found nothing (or could not walk). */
    public static Optional<String> damage(byte[] b) {
        try {
            return new Walk(b).run();
        } catch (Damaged e) {
            return Optional.of(e.getMessage());
        } catch (ArrayIndexOutOfBoundsException e) {
            return Optional.of("headers run past the end");
        }
    }

    static int u16(byte[] b, int i) {
        return ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }

    private static final class Damaged extends Exception {
        Damaged(String m) {
            super(m, null, false, false);
        }
    }

    private static final class Huffman {
        final int[] maxCode = new int[17];
        final int[] minCode = new int[17];
        final int[] valPtr = new int[17];
        int[] values;
    }

    private static final class Walk {
        final byte[] b;
        final Huffman[] dc = new Huffman[4];
        final Huffman[] ac = new Huffman[4];
        final int[][] quant = new int[4][];
        int width;
        int height;
        int components;
        final int[] compId = new int[4];
        final int[] compH = new int[4];
        final int[] compV = new int[4];
        final int[] compQ = new int[4];
        int restartInterval;
        boolean huffmanSequential;
        int pos;
        int bitBuf;
        int bitCount;

        Walk(byte[] b) {
            this.b = b;
        }

        Optional<String> run() throws Damaged {
            int i = 2;
            while (true) {
                if (i + 4 > b.length) {
                    throw new Damaged("no scan before the end");
                }
                if ((b[i] & 0xff) != 0xFF) {
                    throw new Damaged("headers broken at byte " + i);
                }
                int m = b[i + 1] & 0xff;
                if (m == 0xFF) {
                    i++;
                    continue;
                }
                int end = i + 2 + u16(b, i + 2);
                int seg = i + 4;
                if (end > b.length) {
                    throw new Damaged("a header runs past the end");
                }
                if (m == 0xC0 || m == 0xC1) {
                    frameHeader(seg);
                } else if (isFrameHeader(m)) {
                    return Optional.empty(); // progressive, lossless or arithmetic: the decoder's warnings decide
                } else if (m == 0xC4) {
                    huffmanTables(seg, end);
                } else if (m == 0xDB) {
                    quantTables(seg, end);
                } else if (m == 0xDD) {
                    restartInterval = u16(b, seg);
                } else if (m == 0xDA) {
                    if (!huffmanSequential) {
                        throw new Damaged("scan before the frame header");
                    }
                    scan(seg, end);
                    return Optional.empty();
                }
                i = end;
            }
        }

        void frameHeader(int seg) throws Damaged {
            huffmanSequential = true;
            if ((b[seg] & 0xff) != 8) {
                throw new Damaged("not 8-bit");
            }
            height = u16(b, seg + 1);
            width = u16(b, seg + 3);
            components = b[seg + 5] & 0xff;
            if (components < 1 || components > 4 || width == 0) {
                throw new Damaged("frame header with " + components + " components, width " + width);
            }
            for (int c = 0; c < components; c++) {
                int o = seg + 6 + 3 * c;
                compId[c] = b[o] & 0xff;
                compH[c] = (b[o + 1] >> 4) & 15;
                compV[c] = b[o + 1] & 15;
                compQ[c] = b[o + 2] & 3;
                if (compH[c] < 1 || compH[c] > 4 || compV[c] < 1 || compV[c] > 4) {
                    throw new Damaged("bad sampling factors");
                }
            }
        }

        void huffmanTables(int p, int end) throws Damaged {
            while (p < end) {
                int cls = (b[p] >> 4) & 15;
                int id = b[p] & 3;
                Huffman h = new Huffman();
                int n = 0;
                int code = 0;
                for (int len = 1; len <= 16; len++) {
                    int count = b[p + len] & 0xff;
                    h.valPtr[len] = n;
                    h.minCode[len] = code;
                    code += count;
                    n += count;
                    h.maxCode[len] = count == 0 ? -1 : code - 1;
                    code <<= 1;
                }
                if (p + 17 + n > end) {
                    throw new Damaged("Huffman table runs past its header");
                }
                h.values = new int[n];
                for (int k = 0; k < n; k++) {
                    h.values[k] = b[p + 17 + k] & 0xff;
                }
                (cls == 0 ? dc : ac)[id] = h;
                p += 17 + n;
            }
        }

        void quantTables(int p, int end) {
            while (p < end) {
                boolean wide = ((b[p] >> 4) & 15) != 0;
                int[] q = new int[64];
                for (int k = 0; k < 64; k++) {
                    q[k] = Math.max(1, wide ? u16(b, p + 1 + 2 * k) : b[p + 1 + k] & 0xff);
                }
                quant[b[p] & 3] = q;
                p += 1 + 64 * (wide ? 2 : 1);
            }
        }

        void scan(int seg, int start) throws Damaged {
            int n = b[seg] & 0xff;
            int[] comp = new int[n];
            Huffman[] dcT = new Huffman[n];
            Huffman[] acT = new Huffman[n];
            int[][] q = new int[n][];
            for (int s = 0; s < n; s++) {
                int id = b[seg + 1 + 2 * s] & 0xff;
                comp[s] = -1;
                for (int c = 0; c < components; c++) {
                    if (compId[c] == id) {
                        comp[s] = c;
                    }
                }
                if (comp[s] < 0) {
                    throw new Damaged("scan names an unknown component");
                }
                dcT[s] = dc[(b[seg + 2 + 2 * s] >> 4) & 3];
                acT[s] = ac[b[seg + 2 + 2 * s] & 3];
                q[s] = quant[compQ[comp[s]]];
                if (dcT[s] == null || acT[s] == null || q[s] == null) {
                    throw new Damaged("scan uses a table that was not defined");
                }
            }
            int hMax = 1;
            int vMax = 1;
            for (int c = 0; c < components; c++) {
                hMax = Math.max(hMax, compH[c]);
                vMax = Math.max(vMax, compV[c]);
            }
            int mcus;
            int[] blocks = new int[n];
            if (n == 1) {
                // one component: its own 8x8 blocks, not the interleaved MCU
                int c = comp[0];
                int cw = (width * compH[c] + hMax - 1) / hMax;
                int ch = (height * compV[c] + vMax - 1) / vMax;
                mcus = ((cw + 7) / 8) * ((ch + 7) / 8);
                blocks[0] = 1;
            } else {
                mcus = ((width + 8 * hMax - 1) / (8 * hMax)) * ((height + 8 * vMax - 1) / (8 * vMax));
                for (int s = 0; s < n; s++) {
                    blocks[s] = compH[comp[s]] * compV[comp[s]];
                }
            }
            if (height == 0) {
                return; // height given by a DNL marker after the scan: rare, not walked
            }
            pos = start;
            bitCount = 0;
            int[] pred = new int[n];
            for (int m = 0; m < mcus; m++) {
                if (restartInterval > 0 && m > 0 && m % restartInterval == 0) {
                    bitCount = 0;
                    int expected = 0xD0 + ((m / restartInterval - 1) & 7);
                    if (pos + 1 >= b.length || (b[pos] & 0xff) != 0xFF || (b[pos + 1] & 0xff) != expected) {
                        throw new Damaged("restart marker missing or out of sequence at MCU " + m);
                    }
                    pos += 2;
                    java.util.Arrays.fill(pred, 0);
                }
                for (int s = 0; s < n; s++) {
                    for (int k = 0; k < blocks[s]; k++) {
                        block(dcT[s], acT[s], q[s], pred, s, m);
                    }
                }
            }
            while (bitCount > 0) {
                if (bit() != 1) {
                    throw new Damaged("scan ends with padding that is not all ones");
                }
            }
            if (pos + 1 >= b.length || (b[pos] & 0xff) != 0xFF || (b[pos + 1] & 0xff) == 0) {
                throw new Damaged("bytes left over after the last MCU");
            }
        }

        /** One 8x8 block: DC difference, then AC run/size pairs up to coefficient 63. */
        void block(Huffman dcT, Huffman acT, int[] q, int[] pred, int s, int mcu) throws Damaged {
            int t = decode(dcT);
            if (t > 11) {
                throw new Damaged("DC difference of " + t + " bits at MCU " + mcu);
            }
            pred[s] += extend(bits(t), t);
            // an 8-bit block's DC is 8 x its mean level-shifted sample, within +-1024
            if (Math.abs((long) pred[s] * q[0]) > 1024 + q[0]) {
                throw new Damaged("DC out of range at MCU " + mcu);
            }
            for (int k = 1; k < 64; ) {
                int rs = decode(acT);
                int run = rs >> 4;
                int size = rs & 15;
                if (size == 0) {
                    if (run != 15) {
                        return; // end of block
                    }
                    k += 16;
                    continue;
                }
                k += run;
                if (k > 63 || size > 10) {
                    throw new Damaged("coefficient past the end of a block at MCU " + mcu);
                }
                int v = extend(bits(size), size);
                if (Math.abs(v * q[k]) > 1024 + q[k]) {
                    throw new Damaged("AC coefficient out of range at MCU " + mcu);
                }
                k++;
            }
        }

        int decode(Huffman h) throws Damaged {
            int code = 0;
            for (int len = 1; len <= 16; len++) {
                code = (code << 1) | bit();
                if (h.maxCode[len] >= code && code >= h.minCode[len] && h.maxCode[len] >= 0) {
                    return h.values[h.valPtr[len] + code - h.minCode[len]];
                }
            }
            throw new Damaged("a Huffman code no table has");
        }

        int bit() throws Damaged {
            if (bitCount == 0) {
                if (pos >= b.length) {
                    throw new Damaged("scan runs past the end");
                }
                int v = b[pos] & 0xff;
                if (v == 0xFF) {
                    int next = pos + 1 < b.length ? b[pos + 1] & 0xff : -1;
                    if (next != 0) {
                        throw new Damaged("scan cut short by a marker");
                    }
                    pos += 2;
                } else {
                    pos++;
                }
                bitBuf = v;
                bitCount = 8;
            }
            bitCount--;
            return (bitBuf >> bitCount) & 1;
        }

        int bits(int n) throws Damaged {
            int v = 0;
            for (int k = 0; k < n; k++) {
                v = (v << 1) | bit();
            }
            return v;
        }

        static int extend(int v, int t) {
            return t == 0 ? 0 : v < (1 << (t - 1)) ? v - (1 << t) + 1 : v;
        }
    }
}
