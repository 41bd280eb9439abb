from oslo_config import cfg

OPTS = [
    cfg.URIOpt('url', default='http://127.0.0.1:5080',
               help="Base URL of the Ipam service (without /v1)."),
    cfg.StrOpt('token', secret=True,
               help="Bearer token of an Ipam admin; unset when Ipam runs "
                    "with auth off."),
    cfg.FloatOpt('connect_timeout', default=3.0, min=0.1,
                 help="Seconds to wait for a connection to Ipam."),
    cfg.FloatOpt('read_timeout', default=10.0, min=0.1,
                 help="Seconds to wait for Ipam's answer."),
]

cfg.CONF.register_opts(OPTS, group='ipam')
