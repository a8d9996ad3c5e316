package dev.sextant.prediction.runtime;

import ai.onnxruntime.MapInfo;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.SequenceInfo;
import ai.onnxruntime.TensorInfo;
import ai.onnxruntime.ValueInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A model in an ONNX Runtime session on the CPU execution provider. The session is created from the artifact's
 * bytes, its signature read from the session itself, and one inference on zeros run before the runner is handed
 * out ({@link #load}), so a model that cannot run never replaces one that can. Thread-safe (ONNX Runtime sessions
 * are); {@link #close} releases the session's native memory and must only be called once no request uses it.
 */
public final class OnnxModelRunner implements ModelRunner {

    private static final OrtEnvironment ENVIRONMENT = OrtEnvironment.getEnvironment();

    private final OrtSession session;
    private final ModelSignature signature;

    private OnnxModelRunner(OrtSession session, ModelSignature signature) {
        this.session = session;
        this.signature = signature;
    }

    /** Loads a model and warms it up; throws, closing what it opened, when either fails. */
    public static OnnxModelRunner load(byte[] onnx, int intraOpThreads, int interOpThreads) throws ModelRunException {
        OrtSession session = null;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(interOpThreads);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = ENVIRONMENT.createSession(onnx, options);
            OnnxModelRunner runner = new OnnxModelRunner(
                    session, new ModelSignature(specs(session.getInputInfo()), specs(session.getOutputInfo())));
            runner.warmUp();
            return runner;
        } catch (OrtException e) {
            close(session);
            throw new ModelRunException("ONNX Runtime cannot load the model: " + OnnxTensors.reason(e), e);
        } catch (ModelRunException | RuntimeException e) {
            close(session);
            throw e;
        }
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    @Override
    public String executionProvider() {
        return "CPU";
    }

    @Override
    public Map<String, Tensor> run(List<Tensor> inputs, Set<String> outputs) throws ModelRunException {
        Map<String, OnnxTensor> feed = new LinkedHashMap<>();
        try {
            for (Tensor input : inputs) {
                feed.put(input.name(), OnnxTensors.create(ENVIRONMENT, input));
            }
            try (OrtSession.Result result = session.run(feed, outputs)) {
                Map<String, Tensor> answer = new LinkedHashMap<>();
                for (String name : outputs) {
                    OnnxValue value = result.get(name).orElseThrow();
                    answer.put(name, output(name, value));
                }
                return answer;
            }
        } catch (OrtException e) {
            throw new ModelRunException("ONNX Runtime failed to run the model: " + OnnxTensors.reason(e), e);
        } finally {
            feed.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() {
        close(session);
    }

    private void warmUp() throws ModelRunException {
        List<Tensor> zeros = new ArrayList<>();
        for (TensorSpec input : signature.inputs()) {
            long[] shape =
                    input.shape().stream().mapToLong(dim -> dim < 0 ? 1 : dim).toArray();
            Object values = input.datatype().newArray(Math.toIntExact(Tensor.elementCount(shape)));
            if (values instanceof String[] text) {
                Arrays.fill(text, "");
            }
            zeros.add(new Tensor(input.name(), input.datatype(), shape, values));
        }
        try {
            run(zeros, signature.outputNames());
        } catch (ModelRunException e) {
            throw new ModelRunException("the model failed its warm-up inference on zeros: " + e.getMessage(), e);
        }
    }

    private Tensor output(String name, OnnxValue value) throws OrtException, ModelRunException {
        if (value instanceof OnnxTensor tensor) {
            return OnnxTensors.read(name, tensor);
        }
        if (value instanceof OnnxSequence sequence) {
            return OnnxTensors.readSequenceOfMaps(name, sequence);
        }
        throw new ModelRunException("output '" + name + "' is a " + value.getType() + ", which cannot be served", null);
    }

    private static List<TensorSpec> specs(Map<String, NodeInfo> nodes) throws ModelRunException {
        List<TensorSpec> specs = new ArrayList<>();
        for (NodeInfo node : nodes.values()) {
            specs.add(spec(node.getName(), node.getInfo()));
        }
        return specs;
    }

    private static TensorSpec spec(String name, ValueInfo info) throws ModelRunException {
        if (info instanceof TensorInfo tensor) {
            Datatype datatype =
                    Datatype.of(tensor.onnxType).orElseThrow(() -> unservable(name, "element type " + tensor.onnxType));
            List<Long> shape = Arrays.stream(tensor.getShape())
                    .map(dim -> dim < 0 ? -1 : dim)
                    .boxed()
                    .toList();
            return new TensorSpec(name, datatype, shape, null);
        }
        if (info instanceof SequenceInfo sequence && sequence.sequenceOfMaps) {
            MapInfo map = sequence.mapInfo;
            Datatype datatype =
                    Datatype.of(map.valueType).orElseThrow(() -> unservable(name, "map values of " + map.valueType));
            return new TensorSpec(name, datatype, List.of(-1L, -1L), List.of());
        }
        throw unservable(name, "value " + info);
    }

    private static ModelRunException unservable(String name, String what) {
        return new ModelRunException(
                "'" + name + "' has " + what + ", which ONNX Runtime's Java API cannot exchange; this service"
                        + " serves tensors of " + Arrays.toString(Datatype.values())
                        + " and sequences of maps",
                null);
    }

    private static void close(OrtSession session) {
        if (session != null) {
            try {
                session.close();
            } catch (OrtException e) {
                throw new IllegalStateException("ONNX Runtime failed to close a session", e);
            }
        }
    }
}
