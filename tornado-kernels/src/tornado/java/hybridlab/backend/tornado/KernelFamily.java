package hybridlab.backend.tornado;

/**
 * Which form of an op's device kernels a device gets, where an op has one per kind of device.
 * <ul>
 * <li>{@link #GPU}: work-groups share tiles in local memory (the tiled GEMM, tree reductions in
 * local memory): what pays on a device of many narrow cores with a fast scratchpad.
 * <li>{@link #CPU}: every work-item runs a block of contiguous work in registers (a 6 x 16 block
 * of C, a channel's whole reduction) so that the OpenCL compiler turns the block's inner loops
 * into SIMD instructions; local memory is ordinary memory on a CPU and barriers only cost.
 * </ul>
 * Both forms compute the same function (the parity tests run both on every device: the
 * {@code other-kernels} execution forces the family the device's type would not get).
 */
public enum KernelFamily {
    CPU, GPU
}
