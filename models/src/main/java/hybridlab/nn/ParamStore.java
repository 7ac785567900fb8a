package hybridlab.nn;

import hybridlab.kernels.Arena;
import hybridlab.kernels.Slice;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The storage of a model's parameters, allocated once and shared by all its plans (training at
 * one batch size, evaluation at another). Trainable parameters form one flat block, those with
 * weight decay first, so AdamW is a single loop with one boundary; gradients and the two Adam
 * moments mirror that block offset for offset. Running statistics live in a separate block.
 */
public final class ParamStore {
    private final Arena params = Arena.floats("params");
    private final Arena grads = Arena.floats("grads");
    private final Arena adamM = Arena.floats("adam.m");
    private final Arena adamV = Arena.floats("adam.v");
    private final Arena state = Arena.floats("state");
    private final Map<String, Param> byName = new LinkedHashMap<>();
    private final int decayEnd;
    private final int trainableEnd;

    public ParamStore(Module root) {
        List<Param> decay = new ArrayList<>(), noDecay = new ArrayList<>(), buffers = new ArrayList<>();
        root.visitParams((name, p) -> {
            if (p.data != null) {
                throw new IllegalStateException("parameter " + name + " already belongs to a store");
            }
            p.name = name;
            byName.put(name, p);
            (switch (p.kind()) {
                case DECAY -> decay;
                case NO_DECAY -> noDecay;
                case STATE -> buffers;
            }).add(p);
        });
        for (Param p : decay) {
            place(p);
        }
        decayEnd = params.size();
        for (Param p : noDecay) {
            place(p);
        }
        trainableEnd = params.size();
        for (Param p : buffers) {
            p.data = state.allocate(p.size());
        }
        for (Arena a : List.of(params, grads, adamM, adamV, state)) {
            a.seal();
        }
    }

    private void place(Param p) {
        p.data = params.allocate(p.size());
        p.grad = grads.allocate(p.size());
        adamM.allocate(p.size());
        adamV.allocate(p.size());
    }

    /** Sets every parameter from its initialiser; each draws from its own stream of {@code seed}. */
    public void initialize(long seed) {
        for (Param p : byName.values()) {
            long stream = seed * 0x9E3779B97F4A7C15L + p.name().hashCode();
            p.init().fill(p.data.f(), p.data.offset(), p.shape(), new SplittableRandom(stream));
        }
        java.util.Arrays.fill(adamM.floats(), 0f);
        java.util.Arrays.fill(adamV.floats(), 0f);
        java.util.Arrays.fill(grads.floats(), 0f);
    }

    public Map<String, Param> byName() {
        return Collections.unmodifiableMap(byName);
    }

    public Param get(String name) {
        Param p = byName.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no parameter named '" + name + "'");
        }
        return p;
    }

    /** All trainable values (decayed first), as one slice. */
    public Slice trainable() {
        return new Slice(params, 0, trainableEnd);
    }

    public Slice trainableGrads() {
        return new Slice(grads, 0, trainableEnd);
    }

    public Slice adamM() {
        return new Slice(adamM, 0, trainableEnd);
    }

    public Slice adamV() {
        return new Slice(adamV, 0, trainableEnd);
    }

    /** Elements of {@link #trainable()} before this index get weight decay. */
    public int decayEnd() {
        return decayEnd;
    }

    /** Number of trainable scalars (alignment gaps excluded). */
    public long count() {
        long n = 0;
        for (Param p : byName.values()) {
            if (p.trainable()) {
                n += p.size();
            }
        }
        return n;
    }

    /** Arenas that make up the model's persistent state (what a device must keep and return). */
    public List<Arena> arenas() {
        return List.of(params, grads, adamM, adamV, state);
    }

    public Arena paramsArena() {
        return params;
    }

    public Arena stateArena() {
        return state;
    }
}
