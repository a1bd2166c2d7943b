package io.pretext.jobs.report;

import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.StackedXYAreaRenderer2;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.DefaultTableXYDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.geom.Ellipse2D;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.text.DecimalFormat;
import java.util.List;
import java.util.Map;

/** The report's charts, drawn by JFreeChart into PNG bytes without a display. */
final class Charts {

    static {
        // charts are drawn on servers and in CI; a display is never needed
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    static final int WIDTH = 640;
    static final int HEIGHT = 360;

    /** A colour-blind-friendly palette (Tableau 10). */
    private static final Color[] PALETTE = {
        new Color(0x4e79a7), new Color(0xf28e2b), new Color(0xe15759), new Color(0x76b7b2), new Color(0x59a14f),
        new Color(0xedc948), new Color(0xb07aa1), new Color(0xff9da7), new Color(0x9c755f), new Color(0xbab0ac)};
    private static final Color GRID = new Color(0xe3e6ea);
    private static final Color INK = new Color(0x33383f);
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    private static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font TICK = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    /** Series with fewer points than this also show a dot per point, so that a short run is visible. */
    private static final int DOTS_BELOW = 40;

    /** One line of a chart: y over x, both of the same length. */
    record Series(String name, double[] x, double[] y) {
        Series {
            if (x.length != y.length) {
                throw new IllegalStateException("series " + name + ": " + x.length + " x values, " + y.length + " y");
            }
        }
    }

    private Charts() {
    }

    /**
     * Lines over a numeric x axis.
     *
     * @param markers  x positions drawn as dashed vertical lines (e.g. checkpoints)
     * @param fromZero whether the y axis starts at zero (rates and shares), or fits the values (losses)
     */
    static byte[] lines(String title, String xLabel, String yLabel, List<Series> series, double[] markers,
                        boolean fromZero) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Series s : series) {
            XYSeries xy = new XYSeries(s.name(), false, true);
            for (int i = 0; i < s.x().length; i++) {
                if (Double.isFinite(s.y()[i])) {
                    xy.add(s.x()[i], s.y()[i]);
                }
            }
            data.addSeries(xy);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL,
                series.size() > 1, false, false);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < series.size(); i++) {
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            renderer.setSeriesStroke(i, new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            renderer.setSeriesShape(i, new Ellipse2D.Double(-3, -3, 6, 6));
            renderer.setSeriesShapesVisible(i, series.get(i).x().length < DOTS_BELOW);
        }
        plot.setRenderer(renderer);
        for (double m : markers) {
            ValueMarker marker = new ValueMarker(m, new Color(0x9aa3ad), new BasicStroke(1f, BasicStroke.CAP_BUTT,
                    BasicStroke.JOIN_MITER, 1f, new float[]{4f, 4f}, 0f));
            plot.addDomainMarker(marker);
        }
        NumberAxis y = (NumberAxis) plot.getRangeAxis();
        y.setAutoRangeIncludesZero(fromZero);
        double max = series.stream().flatMapToDouble(s -> java.util.Arrays.stream(s.y()))
                .filter(Double::isFinite).map(Math::abs).max().orElse(1);
        if (max > 0 && max < 0.01) {
            y.setNumberFormatOverride(new DecimalFormat("0.##E0"));
        }
        NumberAxis x = (NumberAxis) plot.getDomainAxis();
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        x.setAutoRangeIncludesZero(false);
        style(chart);
        styleXY(plot);
        return png(chart);
    }

    /** Areas stacked over a shared numeric x axis: the parts of a whole (e.g. of each round's time). */
    static byte[] stackedAreas(String title, String xLabel, String yLabel, List<Series> parts) {
        DefaultTableXYDataset data = new DefaultTableXYDataset();
        for (Series s : parts) {
            XYSeries xy = new XYSeries(s.name(), true, false);
            for (int i = 0; i < s.x().length; i++) {
                xy.addOrUpdate(s.x()[i], s.y()[i]);
            }
            data.addSeries(xy);
        }
        JFreeChart chart = ChartFactory.createStackedXYAreaChart(title, xLabel, yLabel, data,
                PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        StackedXYAreaRenderer2 renderer = new StackedXYAreaRenderer2();
        for (int i = 0; i < parts.size(); i++) {
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
        }
        plot.setRenderer(renderer);
        plot.setForegroundAlpha(0.85f);
        NumberAxis x = (NumberAxis) plot.getDomainAxis();
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        x.setAutoRangeIncludesZero(false);
        style(chart);
        styleXY(plot);
        return png(chart);
    }

    /**
     * Grouped bars: one group per category, one bar per series.
     *
     * @param values series name -> one value per category (NaN: no bar)
     */
    static byte[] bars(String title, String yLabel, List<String> categories, Map<String, double[]> values) {
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        values.forEach((series, v) -> {
            for (int i = 0; i < categories.size(); i++) {
                if (Double.isFinite(v[i])) {
                    data.addValue(v[i], series, categories.get(i));
                }
            }
        });
        JFreeChart chart = ChartFactory.createBarChart(title, null, yLabel, data, PlotOrientation.VERTICAL,
                values.size() > 1, false, false);
        CategoryPlot plot = chart.getCategoryPlot();
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setItemMargin(0.05);
        renderer.setMaximumBarWidth(0.18);
        for (int i = 0; i < values.size(); i++) {
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
        }
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlineVisible(false);
        plot.setRangeGridlinePaint(GRID);
        plot.setRangeGridlineStroke(new BasicStroke(1f));
        NumberAxis y = (NumberAxis) plot.getRangeAxis();
        y.setLabelFont(LABEL);
        y.setTickLabelFont(TICK);
        y.setTickLabelPaint(INK);
        CategoryAxis x = plot.getDomainAxis();
        x.setTickLabelFont(LABEL);
        x.setTickLabelPaint(INK);
        style(chart);
        return png(chart);
    }

    private static void style(JFreeChart chart) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        chart.setPadding(new RectangleInsets(6, 6, 6, 10));
        TextTitle title = chart.getTitle();
        if (title != null) {
            title.setFont(TITLE);
            title.setPaint(INK);
        }
        LegendTitle legend = chart.getLegend();
        if (legend != null) {
            legend.setItemFont(LABEL);
            legend.setFrame(BlockBorder.NONE);
            legend.setPosition(RectangleEdge.BOTTOM);
        }
    }

    private static void styleXY(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlineVisible(false);
        plot.setDomainGridlinePaint(GRID);
        plot.setRangeGridlinePaint(GRID);
        plot.setDomainGridlineStroke(new BasicStroke(1f));
        plot.setRangeGridlineStroke(new BasicStroke(1f));
        plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
        for (NumberAxis axis : List.of((NumberAxis) plot.getDomainAxis(), (NumberAxis) plot.getRangeAxis())) {
            axis.setLabelFont(LABEL);
            axis.setLabelPaint(INK);
            axis.setTickLabelFont(TICK);
            axis.setTickLabelPaint(INK);
        }
    }

    private static byte[] png(JFreeChart chart) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot draw chart " + chart.getTitle().getText(), e);
        }
    }
}
