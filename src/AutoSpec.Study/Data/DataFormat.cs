namespace AutoSpec.Data;

/// <summary>The kind of file a <see cref="DataSource"/> points at. See docs/DATA.md for each layout.</summary>
public enum DataFormat
{
    /// <summary>Decided by the file name's extension (a trailing .gz is ignored); see <see cref="DatasetLoader.ResolveFormat"/>.</summary>
    Auto,

    /// <summary>Comma-separated text (or ';'): a wide table, a long table (with a pivot column) or a list of NIfTI images (with a path column).</summary>
    Csv,

    /// <summary>Tab-separated text; the same three layouts as <see cref="Csv"/>.</summary>
    Tsv,

    /// <summary>A NumPy .npy array whose first axis is the sample, plus a subject table.</summary>
    Npy,

    /// <summary>An HDF5 dataset (chosen by its path in the file) whose first axis is the sample, plus a subject table.</summary>
    Hdf5,

    /// <summary>A NIfTI-1 image (.nii or .nii.gz) whose last axis is the sample (3D volumes stacked in 4D), plus a subject table.</summary>
    Nifti,
}
