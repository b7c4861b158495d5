package io.e6link.stack;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.DoubleBinaryOperator;

/**
 * Evaluates an {@code AWS::CloudWatch::Alarm} with {@code Metrics} (metric math) against datapoints, the
 * way CloudWatch does for the subset the template uses — no emulator evaluates alarms (moto's
 * GetMetricData only returns a query whose expression is another query's id).
 *
 * <p>What is modelled (CloudWatch User Guide, "Using metric math" and "Alarms on metric math expressions";
 * "Configuring how CloudWatch alarms treat missing data"):
 * <ul>
 *   <li>each {@code MetricStat} is aggregated per {@code Period} (Sum, Maximum, Minimum, Average,
 *       SampleCount) over the datapoints matching namespace, metric name and exactly its dimensions; a
 *       period without datapoints is missing (AWS publishes NLB flow metrics only while traffic flows);</li>
 *   <li>an expression works on whole series: {@code IF}, {@code FILL(series, value | REPEAT)}, {@code AND},
 *       {@code OR}, comparisons ({@code == != < <= > >=}, 1 or 0), {@code + - * /}; arithmetic with a
 *       missing value is missing; {@code REPEAT} fills a gap with the last real value before it in the
 *       evaluation range (a gap before the first stays missing);</li>
 *   <li>the alarm reads the last {@code EvaluationPeriods} periods of the series with
 *       {@code ReturnData: true}: ALARM when at least {@code DatapointsToAlarm} breach the threshold;
 *       missing periods count as {@code TreatMissingData} says (notBreaching, breaching; missing and
 *       ignore keep them out, and all missing is INSUFFICIENT_DATA).</li>
 * </ul>
 */
final class MetricMathAlarm {
    /** One published datapoint; {@code minute} is minutes since the scenario began. */
    record Datapoint(String namespace, String metricName, Map<String, String> dimensions, int minute, double value) {
    }

    private final Map<String, Object> alarm;

    /** @param alarm the alarm's resolved properties (intrinsics already resolved, numbers as numbers or strings) */
    MetricMathAlarm(Map<String, Object> alarm) {
        this.alarm = alarm;
    }

    /**
     * The alarm's state when evaluated at the end of minute {@code now}.
     *
     * @return ALARM, OK or INSUFFICIENT_DATA
     */
    String state(List<Datapoint> datapoints, int now) {
        int periods = integer("EvaluationPeriods");
        int toAlarm = alarm.containsKey("DatapointsToAlarm") ? integer("DatapointsToAlarm") : periods;
        double[] values = series(datapoints, now);
        double threshold = Double.parseDouble(String.valueOf(alarm.get("Threshold")));
        String missing = String.valueOf(alarm.getOrDefault("TreatMissingData", "missing"));
        int breaching = 0;
        int present = 0;
        for (double value : values) {
            if (Double.isNaN(value)) {
                if (missing.equals("breaching")) {
                    breaching++;
                    present++;
                } else if (missing.equals("notBreaching")) {
                    present++;
                }
                continue;
            }
            present++;
            if (breaches(value, threshold)) {
                breaching++;
            }
        }
        if (present == 0) {
            return "INSUFFICIENT_DATA";
        }
        return breaching >= toAlarm ? "ALARM" : "OK";
    }

    /** The returned series over the evaluation range ending with minute {@code now}, one value per period (NaN = missing). */
    @SuppressWarnings("unchecked")
    double[] series(List<Datapoint> datapoints, int now) {
        int periods = integer("EvaluationPeriods");
        List<Map<String, Object>> queries = (List<Map<String, Object>>) alarm.get("Metrics");
        int period = queries.stream().filter(q -> q.containsKey("MetricStat"))
                .map(q -> Integer.parseInt(String.valueOf(((Map<String, Object>) q.get("MetricStat")).get("Period")))).findFirst().orElseThrow();
        int minutesPerPeriod = period / 60;
        int firstMinute = now - periods * minutesPerPeriod + 1;
        Map<String, double[]> results = new LinkedHashMap<>();
        String returned = null;
        for (Map<String, Object> query : queries) {
            String id = String.valueOf(query.get("Id"));
            double[] values = query.containsKey("MetricStat")
                    ? stat((Map<String, Object>) query.get("MetricStat"), datapoints, firstMinute, periods, minutesPerPeriod)
                    : new Expression(String.valueOf(query.get("Expression")), results, periods).evaluate();
            results.put(id, values);
            if (!"false".equals(String.valueOf(query.getOrDefault("ReturnData", "true")))) {
                if (returned != null) {
                    throw new IllegalArgumentException("an alarm returns exactly one series; " + returned + " and " + id + " both do");
                }
                returned = id;
            }
        }
        return results.get(Objects.requireNonNull(returned, "no query returns data"));
    }

    @SuppressWarnings("unchecked")
    private static double[] stat(Map<String, Object> metricStat, List<Datapoint> datapoints, int firstMinute, int periods, int minutesPerPeriod) {
        Map<String, Object> metric = (Map<String, Object>) metricStat.get("Metric");
        Map<String, String> dimensions = new TreeMap<>();
        for (Object d : (List<Object>) metric.getOrDefault("Dimensions", List.of())) {
            Map<String, Object> dimension = (Map<String, Object>) d;
            dimensions.put(String.valueOf(dimension.get("Name")), String.valueOf(dimension.get("Value")));
        }
        String statistic = String.valueOf(metricStat.get("Stat"));
        double[] out = new double[periods];
        for (int i = 0; i < periods; i++) {
            int from = firstMinute + i * minutesPerPeriod;
            List<Double> in = datapoints.stream()
                    .filter(p -> p.namespace().equals(metric.get("Namespace")) && p.metricName().equals(metric.get("MetricName"))
                            && new TreeMap<>(p.dimensions()).equals(dimensions) && p.minute() >= from && p.minute() < from + minutesPerPeriod)
                    .map(Datapoint::value).toList();
            out[i] = in.isEmpty() ? Double.NaN : switch (statistic) {
                case "Sum" -> in.stream().mapToDouble(Double::doubleValue).sum();
                case "Maximum" -> in.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
                case "Minimum" -> in.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
                case "Average" -> in.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
                case "SampleCount" -> in.size();
                default -> throw new IllegalArgumentException("statistic " + statistic + " is not modelled");
            };
        }
        return out;
    }

    private boolean breaches(double value, double threshold) {
        return switch (String.valueOf(alarm.get("ComparisonOperator"))) {
            case "GreaterThanOrEqualToThreshold" -> value >= threshold;
            case "GreaterThanThreshold" -> value > threshold;
            case "LessThanThreshold" -> value < threshold;
            case "LessThanOrEqualToThreshold" -> value <= threshold;
            default -> throw new IllegalArgumentException("comparison " + alarm.get("ComparisonOperator") + " is not modelled");
        };
    }

    private int integer(String key) {
        return Integer.parseInt(String.valueOf(alarm.get(key)));
    }

    /** A recursive-descent reader of metric math over series: OR < AND < comparison < + - < * / < call, id, number. */
    private static final class Expression {
        private final List<String> tokens;
        private final Map<String, double[]> series;
        private final int length;
        private int at;

        Expression(String text, Map<String, double[]> series, int length) {
            this.tokens = tokenize(text);
            this.series = series;
            this.length = length;
        }

        double[] evaluate() {
            double[] value = or();
            if (at != tokens.size()) {
                throw new IllegalArgumentException("unexpected '" + tokens.get(at) + "' in metric math");
            }
            return value;
        }

        private double[] or() {
            double[] left = and();
            while (peek("OR") || peek("||")) {
                at++;
                left = apply(left, and(), (a, b) -> a != 0 || b != 0 ? 1 : 0);
            }
            return left;
        }

        private double[] and() {
            double[] left = comparison();
            while (peek("AND") || peek("&&")) {
                at++;
                left = apply(left, comparison(), (a, b) -> a != 0 && b != 0 ? 1 : 0);
            }
            return left;
        }

        private double[] comparison() {
            double[] left = additive();
            for (String op : List.of("==", "!=", "<=", ">=", "<", ">")) {
                if (peek(op)) {
                    at++;
                    double[] right = additive();
                    return apply(left, right, switch (op) {
                        case "==" -> (a, b) -> a == b ? 1 : 0;
                        case "!=" -> (a, b) -> a != b ? 1 : 0;
                        case "<=" -> (a, b) -> a <= b ? 1 : 0;
                        case ">=" -> (a, b) -> a >= b ? 1 : 0;
                        case "<" -> (a, b) -> a < b ? 1 : 0;
                        default -> (a, b) -> a > b ? 1 : 0;
                    });
                }
            }
            return left;
        }

        private double[] additive() {
            double[] left = multiplicative();
            while (peek("+") || peek("-")) {
                String op = tokens.get(at++);
                left = apply(left, multiplicative(), op.equals("+") ? Double::sum : (a, b) -> a - b);
            }
            return left;
        }

        private double[] multiplicative() {
            double[] left = primary();
            while (peek("*") || peek("/")) {
                String op = tokens.get(at++);
                left = apply(left, primary(), op.equals("*") ? (a, b) -> a * b : (a, b) -> a / b);
            }
            return left;
        }

        private double[] primary() {
            String token = tokens.get(at++);
            if (token.equals("(")) {
                double[] inner = or();
                expect(")");
                return inner;
            }
            if (token.matches("[0-9.]+")) {
                double[] constant = new double[length];
                Arrays.fill(constant, Double.parseDouble(token));
                return constant;
            }
            if (peek("(")) {
                at++;
                return call(token.toUpperCase());
            }
            double[] known = series.get(token);
            if (known == null) {
                throw new IllegalArgumentException("metric math refers to '" + token + "', which no earlier query defines");
            }
            return known.clone();
        }

        private double[] call(String function) {
            List<Object> arguments = new ArrayList<>();
            arguments.add(or());
            while (peek(",")) {
                at++;
                if (function.equals("FILL") && peek("REPEAT")) {
                    at++;
                    arguments.add("REPEAT");
                } else {
                    arguments.add(or());
                }
            }
            expect(")");
            return switch (function) {
                case "IF" -> {
                    double[] condition = (double[]) arguments.get(0);
                    double[] then = (double[]) arguments.get(1);
                    double[] otherwise = arguments.size() > 2 ? (double[]) arguments.get(2) : null;
                    double[] out = new double[length];
                    for (int i = 0; i < length; i++) {
                        out[i] = Double.isNaN(condition[i]) ? Double.NaN : condition[i] != 0 ? then[i] : otherwise == null ? Double.NaN : otherwise[i];
                    }
                    yield out;
                }
                case "FILL" -> {
                    double[] out = ((double[]) arguments.get(0)).clone();
                    Object with = arguments.get(1);
                    double last = Double.NaN;
                    for (int i = 0; i < length; i++) {
                        if (!Double.isNaN(out[i])) {
                            last = out[i];
                        } else {
                            out[i] = with.equals("REPEAT") ? last : ((double[]) with)[i];
                        }
                    }
                    yield out;
                }
                default -> throw new IllegalArgumentException("metric math function " + function + " is not modelled");
            };
        }

        private double[] apply(double[] left, double[] right, DoubleBinaryOperator op) {
            double[] out = new double[length];
            for (int i = 0; i < length; i++) {
                out[i] = Double.isNaN(left[i]) || Double.isNaN(right[i]) ? Double.NaN : op.applyAsDouble(left[i], right[i]);
            }
            return out;
        }

        private boolean peek(String token) {
            return at < tokens.size() && tokens.get(at).equalsIgnoreCase(token);
        }

        private void expect(String token) {
            if (!peek(token)) {
                throw new IllegalArgumentException("metric math: expected '" + token + "' at token " + at + " of " + tokens);
            }
            at++;
        }

        private static List<String> tokenize(String text) {
            List<String> out = new ArrayList<>();
            int i = 0;
            while (i < text.length()) {
                char c = text.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                } else if (Character.isLetterOrDigit(c) || c == '_' || c == '.') {
                    int start = i;
                    while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || text.charAt(i) == '_' || text.charAt(i) == '.')) {
                        i++;
                    }
                    out.add(text.substring(start, i));
                } else if (i + 1 < text.length() && List.of("==", "!=", "<=", ">=", "&&", "||").contains(text.substring(i, i + 2))) {
                    out.add(text.substring(i, i + 2));
                    i += 2;
                } else {
                    out.add(String.valueOf(c));
                    i++;
                }
            }
            return out;
        }
    }
}
