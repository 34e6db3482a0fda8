// placeholder until the model lands
namespace transition {}
