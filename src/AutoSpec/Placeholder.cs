namespace AutoSpec;
