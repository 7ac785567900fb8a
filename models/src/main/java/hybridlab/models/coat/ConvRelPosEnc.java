package hybridlab.models.coat;

import hybridlab.nn.Graph;
import hybridlab.nn.Module;
import hybridlab.nn.Tensor;
import hybridlab.nn.layers.Conv2d;
import hybridlab.nn.layers.ModuleList;
import hybridlab.nn.ops.Pointwise;
import hybridlab.nn.ops.Shapes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * CRPE: {@code EV = Q o DWConv(V)} on the image tokens, where consecutive groups of heads use
 * depthwise convs of different windows (the map {@code window -> heads}); the CLS row gets 0.
 */
public final class ConvRelPosEnc extends Module {
    private final ModuleList<Conv2d> convs = child("conv_list", new ModuleList<>());
    private final List<Integer> splits = new ArrayList<>();

    public ConvRelPosEnc(int headDim, Map<Integer, Integer> windows) {
        for (Map.Entry<Integer, Integer> e : windows.entrySet()) {
            int channels = e.getValue() * headDim;
            convs.add(Conv2d.depthwise(channels, e.getKey(), true));
            splits.add(channels);
        }
    }

    /** q, v {@code (B, 1 + h*w, C)} -> {@code (B, 1 + h*w, C)}. */
    public Tensor forward(Graph g, Tensor q, Tensor v, int h, int w) {
        int B = q.dim(0), C = q.dim(2);
        Tensor vMap = Shapes.toMap(g, Shapes.removeToken(g, v), h, w);
        List<Tensor> parts = new ArrayList<>();
        int at = 0;
        for (int i = 0; i < splits.size(); i++) {
            Tensor part = splits.size() == 1 ? vMap : Shapes.narrow(g, vMap, 1, at, splits.get(i));
            parts.add(convs.get(i).forward(g, part));
            at += splits.get(i);
        }
        Tensor conv = parts.size() == 1 ? parts.get(0) : Shapes.concat(g, 1, parts.toArray(new Tensor[0]));
        Tensor ev = Pointwise.mul(g, Shapes.removeToken(g, q), Shapes.toTokens(g, conv));
        return Shapes.concat(g, 1, g.zeros(B, 1, C), ev);
    }
}
