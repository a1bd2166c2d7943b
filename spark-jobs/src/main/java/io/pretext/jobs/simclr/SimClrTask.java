package io.pretext.jobs.simclr;

import io.pretext.data.augment.SimClrAugmenter;
import io.pretext.data.augment.SimClrBatch;
import io.pretext.data.image.ImageRecord;
import io.pretext.jobs.train.TrainingTask;
import io.pretext.zoo.simclr.SimClr;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;

import java.util.List;

/** SimCLR on Spark: a worker batch of N images becomes 2N augmented views, the two views of image i at i and N+i. */
public final class SimClrTask implements TrainingTask<ImageRecord> {

    private final String graphJson;
    private final SimClrAugmenter augmenter;

    public SimClrTask(String graphJson, SimClrAugmenter augmenter) {
        this.graphJson = graphJson;
        this.augmenter = augmenter;
    }

    @Override
    public String graphJson() {
        return graphJson;
    }

    @Override
    public String id(ImageRecord record) {
        return record.id();
    }

    @Override
    public MultiDataSet batch(List<ImageRecord> records, long seed, int epoch) {
        INDArray views = SimClrBatch.twoViews(records, augmenter, seed, epoch); // [2N, C, H, W]
        return new org.nd4j.linalg.dataset.MultiDataSet(views, SimClr.labelsFor(views.size(0)));
    }
}
