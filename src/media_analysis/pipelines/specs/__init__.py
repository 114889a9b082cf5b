"""One spec per job type: its name, its parameters model and its result model.

Each module here belongs to the pipeline of the same name; the API builds request
bodies into these parameters and the job views document these results.
"""
