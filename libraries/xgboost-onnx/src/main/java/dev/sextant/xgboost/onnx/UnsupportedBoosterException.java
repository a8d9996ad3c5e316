package dev.sextant.xgboost.onnx;

/** A booster the converter does not export (an objective, a booster kind or a split it has no ONNX form for). */
public class UnsupportedBoosterException extends RuntimeException {

    public UnsupportedBoosterException(String message) {
        super(message);
    }
}
