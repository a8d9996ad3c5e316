package dev.sextant.prediction.runtime;

import ai.onnxruntime.MapInfo;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxSequence;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model in an ONNX Runtime session on the CPU execution provider. The session is created from the artifact's
 * bytes, its signature read from the session itself, and one inference on zeros run before the runner is handed
 * out ({@link #load}), so a model that cannot run never replaces one that can. Thread-safe (ONNX Runtime sessions
 * are); {@link #close} releases the session's native memory and must only be called once no request uses it.
 */
public final class OnnxModelRunner implements ModelRunner {

    private static final OrtEnvironment ENVIRONMENT = OrtEnvironment.getEnvironment();

    private static final Logger log = LoggerFactory.getLogger(OnnxModelRunner.class);

    private final OrtSession session;
    private final ModelSignature signature;
    private final ExecutionProvider provider;

    /** The unsigned datatypes of inputs and outputs served through a widened graph ({@link UnsignedWidening}). */
    private final Map<String, Datatype> served;

    private OnnxModelRunner(
            OrtSession session, ModelSignature signature, ExecutionProvider provider, Map<String, Datatype> served) {
        this.session = session;
        this.signature = signature;
        this.provider = provider;
        this.served = served;
    }

    /** Where a session runs. */
    public enum ExecutionProvider {
        /** CUDA when this build of ONNX Runtime has it (the {@code onnxruntime_gpu} profile), else the CPU. */
        AUTO,
        CPU,
        /** CUDA, falling back to the CPU (with a warning) when this build or this machine cannot. */
        CUDA
    }

    /** Whether this build of ONNX Runtime has the CUDA execution provider (a GPU may still be absent). */
    public static boolean cudaBuilt() {
        return OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
    }

    /** Loads a model on the CPU and warms it up. */
    public static OnnxModelRunner load(byte[] onnx, int intraOpThreads, int interOpThreads) throws ModelRunException {
        return load(onnx, intraOpThreads, interOpThreads, ExecutionProvider.CPU, 0);
    }

    /**
     * Loads a model and warms it up on the wanted provider; a CUDA session that cannot be created or fails its
     * warm-up is replaced by a CPU session, so a model never fails to load for want of a GPU. Throws, closing what
     * it opened, when the model cannot be served at all.
     *
     * @param cudaDevice the GPU to use when CUDA is wanted
     */
    public static OnnxModelRunner load(
            byte[] onnx, int intraOpThreads, int interOpThreads, ExecutionProvider wanted, int cudaDevice)
            throws ModelRunException {
        boolean cuda = wanted == ExecutionProvider.CUDA || (wanted == ExecutionProvider.AUTO && cudaBuilt());
        if (cuda) {
            if (!cudaBuilt()) {
                log.warn("CUDA is wanted but this ONNX Runtime build has no CUDA execution provider (build with"
                        + " -Ponnxruntime_gpu); running on the CPU");
            } else {
                try {
                    return load(onnx, intraOpThreads, interOpThreads, cudaDevice);
                } catch (ModelRunException e) {
                    log.warn(
                            "the model cannot run on CUDA device {} ({}); running it on the CPU",
                            cudaDevice,
                            e.getMessage());
                }
            }
        }
        return load(onnx, intraOpThreads, interOpThreads, -1);
    }

    /** @param cudaDevice the CUDA device, or -1 for the CPU */
    private static OnnxModelRunner load(byte[] onnx, int intraOpThreads, int interOpThreads, int cudaDevice)
            throws ModelRunException {
        OrtSession session = null;
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(interOpThreads);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (cudaDevice >= 0) {
                options.addCUDA(cudaDevice);
            }
            session = ENVIRONMENT.createSession(onnx, options);
            Map<String, Datatype> served = Map.of();
            if (hasUnsignedEnds(session)) {
                UnsignedWidening widening = UnsignedWidening.of(onnx);
                close(session);
                session = null;
                session = ENVIRONMENT.createSession(widening.model(), options);
                served = widening.served();
            }
            OnnxModelRunner runner = new OnnxModelRunner(
                    session,
                    new ModelSignature(specs(session.getInputInfo(), served), specs(session.getOutputInfo(), served)),
                    cudaDevice >= 0 ? ExecutionProvider.CUDA : ExecutionProvider.CPU,
                    served);
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
        return provider.name();
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
            return OnnxTensors.read(name, tensor, served.get(name));
        }
        if (value instanceof OnnxSequence sequence) {
            return OnnxTensors.readSequenceOfMaps(name, sequence);
        }
        throw new ModelRunException("output '" + name + "' is a " + value.getType() + ", which cannot be served", null);
    }

    private static boolean hasUnsignedEnds(OrtSession session) throws OrtException {
        for (Map<String, NodeInfo> nodes : List.of(session.getInputInfo(), session.getOutputInfo())) {
            for (NodeInfo node : nodes.values()) {
                if (node.getInfo() instanceof TensorInfo tensor
                        && Datatype.of(tensor.onnxType)
                                .filter(Datatype::widened)
                                .isPresent()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<TensorSpec> specs(Map<String, NodeInfo> nodes, Map<String, Datatype> served)
            throws ModelRunException {
        List<TensorSpec> specs = new ArrayList<>();
        for (NodeInfo node : nodes.values()) {
            TensorSpec spec = spec(node.getName(), node.getInfo());
            Datatype unsigned = served.get(node.getName());
            specs.add(unsigned == null ? spec : new TensorSpec(spec.name(), unsigned, spec.shape(), spec.keys()));
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
