package hybridlab.experiments.report;

import hybridlab.experiments.report.figure.Canvas.Dash;
import hybridlab.experiments.report.figure.Canvas.Marker;
import hybridlab.experiments.report.figure.Panel.Style;
import hybridlab.experiments.report.figure.Rgb;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How figures and comparisons arrange the variants that have records: a <em>group</em> (a panel
 * column, from the spec's {@link Grouping}), a <em>facet</em> (a panel row: the values of the
 * column keys and of {@code train_fraction}, which are not compared inside one plot) and a
 * <em>series</em> (the values of the other keys: one line or bar, one style). A series keeps its
 * style in every figure of the report; styles are numbered within each group in sweep order.
 */
final class Partition {
    static final String FRACTION = "train_fraction";

    record Place(String group, List<String> facet, List<String> series) {
    }

    final SweepResults results;
    final List<String> facetKeys, seriesKeys;
    /** Groups and facets that have a finished run, in order. */
    final List<String> groups;
    final List<List<String>> facets;
    private final Map<Integer, Place> places = new LinkedHashMap<>();
    private final Map<String, List<List<String>>> seriesByGroup = new LinkedHashMap<>();

    Partition(SweepResults r) {
        results = r;
        List<String> keys = r.spec().keys();
        List<String> facet = new ArrayList<>(r.spec().columns());
        if (keys.contains(FRACTION) && !facet.contains(FRACTION)) {
            facet.add(FRACTION);
        }
        facetKeys = List.copyOf(facet);
        seriesKeys = keys.stream().filter(k -> !facetKeys.contains(k)).toList();
        List<String> seenGroups = new ArrayList<>();
        Set<List<String>> seenFacets = new LinkedHashSet<>();
        for (int i = 0; i < r.variants().size(); i++) {
            VariantResult v = r.variants().get(i);
            if (v.finished().isEmpty()) {
                continue;
            }
            Place p = new Place(r.spec().groups().group(v), v.coordinates(facetKeys), v.coordinates(seriesKeys));
            places.put(i, p);
            if (!seenGroups.contains(p.group())) {
                seenGroups.add(p.group());
            }
            seenFacets.add(p.facet());
            List<List<String>> s = seriesByGroup.computeIfAbsent(p.group(), g -> new ArrayList<>());
            if (!s.contains(p.series())) {
                s.add(p.series());
            }
        }
        groups = r.spec().groups().order(seenGroups);
        facets = List.copyOf(seenFacets);
    }

    /** Where a variant with finished runs sits; null for one without. */
    Place place(VariantResult v) {
        for (int i = 0; i < results.variants().size(); i++) {
            if (results.variants().get(i) == v) {
                return places.get(i);
            }
        }
        return null;
    }

    /** The variants with finished runs in a group and facet, in sweep order. */
    List<VariantResult> variants(String group, List<String> facet) {
        List<VariantResult> out = new ArrayList<>();
        places.forEach((i, p) -> {
            if (p.group().equals(group) && p.facet().equals(facet)) {
                out.add(results.variants().get(i));
            }
        });
        return out;
    }

    List<VariantResult> variants(String group) {
        List<VariantResult> out = new ArrayList<>();
        places.forEach((i, p) -> {
            if (p.group().equals(group)) {
                out.add(results.variants().get(i));
            }
        });
        return out;
    }

    List<List<String>> series(String group) {
        return seriesByGroup.getOrDefault(group, List.of());
    }

    /** The tab10 colours in turn; past ten series in one group the marker and the dash change too. */
    Style style(String group, List<String> series) {
        int i = Math.max(0, series(group).indexOf(series));
        return new Style(Rgb.PALETTE.get(i % Rgb.PALETTE.size()), Marker.values()[i / Rgb.PALETTE.size() % Marker.values().length],
                Dash.values()[i / Rgb.PALETTE.size() % Dash.values().length]);
    }

    /** A series' name inside its group: the keys that tell the group's series apart (all its set keys when none do). */
    String label(String group, List<String> series) {
        List<List<String>> all = series(group);
        List<String> keys = new ArrayList<>(), values = new ArrayList<>();
        for (int k = 0; k < seriesKeys.size(); k++) {
            int kk = k;
            if (all.stream().map(s -> s.get(kk)).distinct().count() > 1) {
                keys.add(seriesKeys.get(k));
                values.add(series.get(k));
            }
        }
        return keys.isEmpty() ? Labels.of(seriesKeys, series) : Labels.of(keys, values);
    }

    /** The facet as {@code key=value, ...}; empty when nothing is faceted. */
    String facetLabel(List<String> facet) {
        return facetKeys.isEmpty() ? "" : Labels.of(facetKeys, facet);
    }

    String heading(String group, List<String> facet) {
        String f = facetLabel(facet);
        return f.isEmpty() ? group : group + ", " + f;
    }
}
