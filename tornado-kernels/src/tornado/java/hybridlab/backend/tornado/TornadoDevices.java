package hybridlab.backend.tornado;

import hybridlab.backend.BackendProvider.DeviceInfo;
import java.util.ArrayList;
import java.util.List;
import uk.ac.manchester.tornado.api.TornadoBackend;
import uk.ac.manchester.tornado.api.TornadoRuntime;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.runtime.TornadoRuntimeProvider;

/** TornadoVM's drivers and devices, named {@code tornado:<backend>:<device>} as {@code tornado --devices} numbers them. */
final class TornadoDevices {
    private TornadoDevices() {
    }

    static String id(int backend, int device) {
        return "tornado:" + backend + ":" + device;
    }

    /**
     * Parses {@code tornado:B:D}, {@code B:D} or {@code B} (device 0); empty or null means
     * TornadoVM's default device, {@code 0:0}.
     */
    static int[] parse(String id) {
        String s = id == null ? "" : id.trim();
        if (s.startsWith("tornado:")) {
            s = s.substring("tornado:".length());
        } else if (s.equals("tornado")) {
            s = "";
        }
        if (s.isEmpty()) {
            return new int[] {0, 0};
        }
        String[] parts = s.split(":");
        try {
            if (parts.length == 1) {
                return new int[] {Integer.parseInt(parts[0]), 0};
            }
            if (parts.length == 2) {
                return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new IllegalArgumentException("device '" + id + "' is not of the form tornado:<backend>:<device>, e.g. tornado:0:0");
    }

    static TornadoRuntime runtime() {
        return TornadoRuntimeProvider.getTornadoRuntime();
    }

    static TornadoDevice device(int backend, int device) {
        TornadoRuntime rt = runtime();
        if (backend < 0 || backend >= rt.getNumBackends()) {
            throw new IllegalArgumentException("no TornadoVM backend " + backend + " (there are " + rt.getNumBackends() + "); "
                    + "see bin/experiments devices");
        }
        TornadoBackend b = rt.getBackend(backend);
        if (device < 0 || device >= b.getNumDevices()) {
            throw new IllegalArgumentException("no device " + device + " on TornadoVM backend " + backend + " (" + b.getName()
                    + ", " + b.getNumDevices() + " device(s)); see bin/experiments devices");
        }
        return b.getDevice(device);
    }

    static List<DeviceInfo> list() {
        List<DeviceInfo> out = new ArrayList<>();
        TornadoRuntime rt = runtime();
        for (int b = 0; b < rt.getNumBackends(); b++) {
            TornadoBackend backend = rt.getBackend(b);
            for (int d = 0; d < backend.getNumDevices(); d++) {
                out.add(new DeviceInfo(id(b, d), describe(backend.getDevice(d))));
            }
        }
        return out;
    }

    /** The device's own name ({@code pthread-skylake-avx512-...}, {@code NVIDIA H100 ...}); TornadoVM's is {@code opencl-0-0}. */
    static String name(TornadoDevice d) {
        String own = d.getPhysicalDevice() == null ? null : d.getPhysicalDevice().getDeviceName();
        return own == null || own.isBlank() ? d.getDeviceName().trim() : own.trim();
    }

    /** E.g. {@code OPENCL Portable Computing Language pthread-skylake-avx512-AMD EPYC (CPU, 11.6 GB)}. */
    static String describe(TornadoDevice d) {
        return d.getTornadoVMBackend() + " " + d.getPlatformName().trim() + " " + name(d) + " ("
                + d.getDeviceType() + ", " + String.format(java.util.Locale.ROOT, "%.1f GB", d.getMaxGlobalMemory() / 1e9) + ")";
    }

    /**
     * FP32 peak estimate: compute units x clock x lanes x 2 (FMA). Lanes per compute unit: 128
     * on an NVIDIA GPU (Ampere's and Hopper's SMs; 64 on V100, A100, A30, P100), 64 on other
     * GPUs; on a CPU the SIMD width its name reports (AVX-512: 16, AVX2: 8, else 4) times two
     * FMA ports.
     */
    static hybridlab.backend.Backend.Peak fp32Peak(TornadoDevice d) {
        var phys = d.getPhysicalDevice();
        int units = phys.getDeviceMaxComputeUnits();
        int mhz = phys.getDeviceMaxClockFrequency();
        String name = (name(d) + " " + d.getPlatformName()).toLowerCase(java.util.Locale.ROOT);
        int lanes;
        String kind;
        if (d.getDeviceType() == uk.ac.manchester.tornado.api.enums.TornadoDeviceType.CPU) {
            int simd = name.contains("avx512") ? 16 : name.contains("avx2") || name.contains("haswell") ? 8 : 4;
            lanes = simd * 2;
            kind = simd + "-wide SIMD x 2 FMA ports";
        } else if (name.contains("nvidia") || name.contains("geforce")) {
            lanes = name.matches(".*(v100|a100|a30|p100).*") ? 64 : 128;
            kind = lanes + " FP32 lanes per SM";
        } else {
            lanes = 64;
            kind = "64 lanes per compute unit (assumed)";
        }
        if (units <= 0 || mhz <= 0) {
            return new hybridlab.backend.Backend.Peak(Double.NaN, "device reports no compute units or clock");
        }
        double gflops = (double) units * mhz * lanes * 2 / 1000.0;
        return new hybridlab.backend.Backend.Peak(gflops, String.format(java.util.Locale.ROOT,
                "estimate: %d compute units x %d MHz x %s x 2", units, mhz, kind));
    }

    /** Whether this JVM runs with {@code -Dtornado.recover.bailout=False}: kernels that fail to compile then fail loudly. */
    static boolean bailoutDisabled() {
        return "false".equalsIgnoreCase(System.getProperty("tornado.recover.bailout", "True"));
    }
}
