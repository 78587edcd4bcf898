"""The job description builder's parts (issue 12): an employer's posting made from a
role template, priced for their market, checked for wording, and handed over as
structured data. Each part is a plain function over plain data, so the builder's
form, its preview and its downloads all use the same ones."""
