package hybridlab.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import uk.ac.manchester.tornado.api.KernelContext;
import uk.ac.manchester.tornado.api.types.arrays.FloatArray;

/**
 * Every device kernel takes its scalars in arrays (no device needed): TornadoVM turns a task's
 * scalar arguments into constants of its OpenCL source, so one scalar parameter would make every
 * task of that method a program of its own for the driver to build (minutes of compile per plan
 * instead of one build per method). A kernel is a public static void method of a
 * {@code Tornado*} class whose first parameter is the work-group context or the device heap.
 */
class DeviceKernelSignatureTest {
    @Test
    void noDeviceKernelTakesAScalar() throws Exception {
        List<Class<?>> classes = new ArrayList<>(kernelClasses());
        classes.add(Class.forName("hybridlab.backend.tornado.GraphChain"));
        List<String> kernels = new ArrayList<>(), scalar = new ArrayList<>();
        for (Class<?> c : classes) {
            for (Method m : c.getDeclaredMethods()) {
                int mod = m.getModifiers();
                Class<?>[] params = m.getParameterTypes();
                boolean kernel = Modifier.isPublic(mod) && Modifier.isStatic(mod) && m.getReturnType() == void.class
                        && params.length > 0 && (params[0] == KernelContext.class || params[0] == FloatArray.class);
                if (kernel) {
                    kernels.add(c.getSimpleName() + "." + m.getName());
                    if (Arrays.stream(params).anyMatch(Class::isPrimitive)) {
                        scalar.add(c.getSimpleName() + "." + m.getName() + Arrays.toString(params));
                    }
                }
            }
        }
        // the scan must see the kernels it checks (GEMM, convolution, attention, the optimizer...)
        assertTrue(kernels.size() > 50, "only " + kernels.size() + " kernels found: " + kernels);
        assertTrue(kernels.contains("TornadoGemm.tiled"), kernels.toString());
        assertEquals(List.of(), scalar, "kernels with scalar parameters (pass them through DeviceTasks.args / floats)");
    }

    /** The {@code Tornado*} classes of this package, from the compiled classes' folder. */
    private static List<Class<?>> kernelClasses() throws URISyntaxException, ClassNotFoundException {
        // the folder of the main classes (this test's own package folder holds only the tests)
        URL gemm = TornadoGemm.class.getResource("TornadoGemm.class");
        File[] files = new File(gemm.toURI()).getParentFile().listFiles((d, name) -> name.startsWith("Tornado") && name.endsWith(".class")
                && !name.contains("$"));
        List<Class<?>> out = new ArrayList<>();
        for (File f : files) {
            out.add(Class.forName("hybridlab.kernels." + f.getName().replace(".class", "")));
        }
        return out;
    }
}
