/**
 * The XGBoost trainer: gradient-boosted trees with early stopping, exported to ONNX by {@code xgboost-onnx}.
 */
package dev.sextant.training.trainer.xgboost;
